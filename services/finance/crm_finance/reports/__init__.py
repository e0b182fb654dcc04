"""Reports over receivables: ageing (FIN-04) and the customer statement (FIN-08)."""
