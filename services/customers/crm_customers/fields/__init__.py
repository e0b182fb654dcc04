"""Custom field definitions and the typed values they allow (CUS-10)."""
