"""The approval engine's answers about finance's held documents, sent to the document's own area."""
from crm_finance.advances import handlers as advances
from crm_finance.approvals import rules
from crm_finance.invoicing import use_cases as invoicing
from crm_finance.receivables import use_cases as receivables

APPLY = {rules.INVOICE: invoicing.apply_decision, rules.REVERSAL: invoicing.apply_reversal_decision,
         rules.RECEIPT: receivables.apply_receipt_decision}


def decided(uow, data: dict) -> None:
    """sales.approval_decided: an order rejected gives its advances back; other document types
    (extensions, ...) are not finance's."""
    if data["document_type"] == "order" and data["outcome"] == "rejected":
        advances.order_ended(uow, data["document_id"])
    elif data["document_type"] in APPLY:
        APPLY[data["document_type"]](uow, data, data["outcome"])


def withdrawn(uow, data: dict) -> None:
    """sales.approval_withdrawn: the submitter took the document back."""
    if data["document_type"] in APPLY:
        APPLY[data["document_type"]](uow, data, "withdrawn")
