"""Customers service: customer records (客户档案) and their contacts (联系人)."""
