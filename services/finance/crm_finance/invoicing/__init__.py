"""Invoices (FIN-05): per order, partial, never more than the order, numbered without gaps."""
