"""Customer statistics (CUS-09)."""
