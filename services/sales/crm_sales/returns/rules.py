"""Return rules free of framework code: the life cycle, and what may come back."""
from crm_common.statemachine import StateMachine

# A return is submitted into the approval engine the moment it is created.
LIFECYCLE = StateMachine("return", {
    "approve": ({"submitted"}, "approved"),
    "reject": ({"submitted"}, "rejected"),
})
# Goods come back only against an order that went out; returns that still hold quantity back.
RETURNABLE_ORDERS = {"approved", "completed"}
CLAIMING = ("submitted", "approved")
