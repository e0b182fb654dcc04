"""Sales service: products (产品管理) and sales orders (销售开单)."""
