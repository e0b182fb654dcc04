"""The pool's use cases, one module per topic: ownership, scheduled jobs, extension requests."""
