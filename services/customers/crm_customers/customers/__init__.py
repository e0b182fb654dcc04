"""The customer record: create, change, list, leads and their stages, history, duplicates (CUS-01, 02, 06, 11)."""
