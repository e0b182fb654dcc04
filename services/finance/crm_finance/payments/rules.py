"""Payment rules. Pure."""
from crm_common.statemachine import StateMachine

KINDS = ("refund", "field_service_settlement", "expense_reimbursement")
PENDING, PAID = "pending", "paid"
STATUSES = (PENDING, PAID)
PAYMENT = StateMachine("payment", {"pay": ({PENDING}, PAID)})

