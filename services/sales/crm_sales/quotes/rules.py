"""Quote rules free of framework code: the life cycle. An open quote may be revised any number
of times (each revision keeps the previous one) until it is converted into an order, or
cancelled (the customer declined, it went stale) with the reason kept."""
from crm_common.statemachine import StateMachine

LIFECYCLE = StateMachine("quote", {
    "revise": ({"open"}, "open"),
    "convert": ({"open"}, "converted"),
    "cancel": ({"open"}, "cancelled"),
})
