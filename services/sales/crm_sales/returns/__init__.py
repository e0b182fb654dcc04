"""Returns (SAL-09): goods coming back against an approved order, approved through the engine."""
