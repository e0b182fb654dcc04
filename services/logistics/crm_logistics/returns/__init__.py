"""Returned goods (LOG-05): what comes back for a return approved in sales."""
