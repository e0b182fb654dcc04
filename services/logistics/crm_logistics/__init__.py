"""Logistics service: fulfilment of approved orders (LOG-01) and shipments against it (LOG-02)."""
