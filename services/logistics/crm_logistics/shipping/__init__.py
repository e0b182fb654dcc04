"""Shipping (LOG-01, LOG-02): the fulfilment an approved order allows, and shipments against it."""
