"""Quote rules free of framework code: the life cycle. An open quote may be revised any number
of times (each revision keeps the previous one) until it is converted into an order."""
from crm_common.statemachine import StateMachine

LIFECYCLE = StateMachine("quote", {
    "revise": ({"open"}, "open"),
    "convert": ({"open"}, "converted"),
})
