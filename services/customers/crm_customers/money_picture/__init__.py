"""The customer's money picture (issue 12): open orders, outstanding and overdue money, kept from
sales and finance events so that the customer header is one local read, not an RPC fan-out."""
