"""What a rep's 工作台 (issue 12) asks of the customers service: customers about to fall back to
the pool, and follow-ups that are due. Reads only; the records are the customers area's."""
