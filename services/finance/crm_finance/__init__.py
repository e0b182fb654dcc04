"""Finance service: receivables (应收, FIN-01) and receipts against them (收款, FIN-02)."""
