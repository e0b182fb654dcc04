"""Contacts of a customer (CUS-03)."""
