"""Use cases of invoicing (FIN-05): issuing invoices, recording the tax system's fapiao, red-letter
reversals, and the buyer title profiles they print."""
from crm_finance.invoicing.use_cases.issuing import apply_decision, create, issue, record_fapiao
from crm_finance.invoicing.use_cases.reversals import apply_decision as apply_reversal_decision, reverse
from crm_finance.invoicing.use_cases.titles import create_title, update_title

__all__ = ["apply_decision", "apply_reversal_decision", "create", "issue", "record_fapiao", "reverse",
           "create_title", "update_title"]
