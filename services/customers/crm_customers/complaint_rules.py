"""Complaint handling workflow (CUS-08): open → assigned → handling → resolved → closed."""
COMPLAINT_STATUSES = ("open", "assigned", "handling", "resolved", "closed")
_ACTIONS = {
    "assign": ({"open", "assigned"}, "assigned"),
    "start": ({"assigned"}, "handling"),
    "resolve": ({"handling"}, "resolved"),
    "reopen": ({"resolved"}, "handling"),
    "close": ({"resolved"}, "closed"),
}
ACTIONS = tuple(_ACTIONS)


class ComplaintTransitionError(ValueError):
    pass


def next_status(current: str, action: str) -> str:
    allowed_from, target = _ACTIONS[action]
    if current not in allowed_from:
        raise ComplaintTransitionError(f"Cannot {action} a complaint that is {current}")
    return target
