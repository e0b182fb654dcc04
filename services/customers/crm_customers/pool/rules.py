"""Pure rules of the pool."""
from crm_common.statemachine import StateMachine

# An extension request waits for the sales approval engine; its outcome is the request's end.
EXTENSION = StateMachine("extension request", {
    "approved": ({"pending"}, "approved"),
    "rejected": ({"pending"}, "rejected"),
    "withdrawn": ({"pending"}, "withdrawn"),
})
