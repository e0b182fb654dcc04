"""Finance documents under approval: pure rules."""
from crm_common.statemachine import StateMachine

INVOICE, REVERSAL, RECEIPT = "invoice", "invoice_reversal", "receipt"
HELD_TYPES = (INVOICE, REVERSAL, RECEIPT)
PENDING = "pending_approval"

# A receipt held for approval is recorded (into its receivable and bank account) only once approved.
RECEIPT_APPROVAL = StateMachine("receipt", {
    "approve": ({PENDING}, "recorded"),
    "reject": ({PENDING}, "rejected"),
    "withdraw": ({PENDING}, "withdrawn"),
})
# A red-letter reversal held for approval takes its share of the original at once (so two held
# reversals never add up past the invoice) and is applied, numbered and told once approved.
REVERSAL_APPROVAL = StateMachine("red-letter reversal", {
    "approve": ({PENDING}, "issued"),
    "reject": ({PENDING}, "rejected"),
    "withdraw": ({PENDING}, "withdrawn"),
})


def is_newer(as_of, previous_as_of) -> bool:
    return previous_as_of is None or as_of >= previous_as_of


def outcome_action(outcome: str) -> str:
    """sales.approval_decided's outcome as the document's transition."""
    return {"approved": "approve", "rejected": "reject"}[outcome]
