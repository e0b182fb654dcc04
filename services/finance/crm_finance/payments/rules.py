"""Payment rules. Pure."""
from crm_common.statemachine import StateMachine

# closing_refund: what was received beyond the shipped value of an order that ended early
# advance_refund: an advance (预收款) of an order rejected or cancelled before approval
KINDS = ("refund", "field_service_settlement", "expense_reimbursement", "closing_refund", "advance_refund")
PENDING, PAID = "pending", "paid"
STATUSES = (PENDING, PAID)
PAYMENT = StateMachine("payment", {"pay": ({PENDING}, PAID)})

