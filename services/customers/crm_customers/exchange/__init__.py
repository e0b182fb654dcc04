"""CSV import (a background job) and export (CUS-12)."""
