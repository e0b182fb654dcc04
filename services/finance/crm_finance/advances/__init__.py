"""Advance receipts (预收款): money a customer pays against an order before it is approved."""
