"""Receivables (FIN-01), their payment plans (FIN-03) and the receipts against them (FIN-02)."""
