"""Complaint handling (CUS-08): open → assigned → handling → resolved → closed; an expense's
reimbursement waits for the sales approval engine's outcome. Pure rules."""
from crm_common.statemachine import StateMachine

COMPLAINT = StateMachine("complaint", {
    "assign": (("open", "assigned"), "assigned"),  # a reassignment keeps it assigned
    "start": (("assigned",), "handling"),
    "resolve": (("handling",), "resolved"),
    "reopen": (("resolved",), "handling"),
    "close": (("resolved",), "closed"),
})

# the document type of an expense's reimbursement in the sales approval engine
EXPENSE_DOCUMENT = "expense_reimbursement"
# keyed by the approval's outcome (sales.approval_decided); only an approved expense is paid
EXPENSE = StateMachine("expense", {
    "approved": ({"pending"}, "approved"),
    "rejected": ({"pending"}, "rejected"),
})
