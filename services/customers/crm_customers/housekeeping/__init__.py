"""What acts on a customer with everything hanging off it: merge (CUS-11) and the recycle bin (CUS-07)."""
