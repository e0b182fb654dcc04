"""The catalog (SAL-01, SAL-02): products, price and discount rules, and how a line is priced."""
