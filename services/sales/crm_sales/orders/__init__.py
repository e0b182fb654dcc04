"""Sales orders (SAL-06) and samples (SAL-12): drafting, approval, and progress kept from logistics and finance events."""
