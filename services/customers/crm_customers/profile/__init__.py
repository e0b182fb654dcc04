"""The customer detail view: the record with the latest of every area (CUS-02)."""
