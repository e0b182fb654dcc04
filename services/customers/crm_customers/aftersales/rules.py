"""Complaint handling (CUS-08): open → assigned → handling → resolved → closed. Pure rules."""
from crm_common.statemachine import StateMachine

COMPLAINT = StateMachine("complaint", {
    "assign": (("open", "assigned"), "assigned"),  # a reassignment keeps it assigned
    "start": (("assigned",), "handling"),
    "resolve": (("handling",), "resolved"),
    "reopen": (("resolved",), "handling"),
    "close": (("resolved",), "closed"),
})
