"""The pipeline (SAL-03, SAL-04): opportunity stages, opportunities and their forecast, competitors."""
