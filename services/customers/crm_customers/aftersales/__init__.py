"""After-sales: service and care records, expenses, important dates, complaints (CUS-08)."""
