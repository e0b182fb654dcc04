"""Dunning (FIN-04): one reminder per overdue receivable and day."""
