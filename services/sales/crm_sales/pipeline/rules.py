"""Pipeline rules free of framework code: an opportunity moves between open stages until it is
won or lost, and then stays as it ended."""
from crm_common.statemachine import StateMachine

LIFECYCLE = StateMachine("opportunity", {
    "move": ({"open"}, "open"),
    "edit": ({"open"}, "open"),
    "win": ({"open"}, "won"),
    "lose": ({"open"}, "lost"),
})
