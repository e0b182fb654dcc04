"""Lead → follow-up stages → customer and back (CUS-06). Pure rules, no framework."""
LEAD_STAGES = ("new", "contacted", "qualified", "proposal", "lost")
_NEXT = {
    "new": {"contacted", "lost"},
    "contacted": {"qualified", "lost"},
    "qualified": {"proposal", "contacted", "lost"},
    "proposal": {"qualified", "lost"},
    "lost": {"new"},  # reopened
}


class TransitionError(ValueError):
    pass


def check_stage_change(status: str, current: str | None, target: str) -> None:
    if status != "lead":
        raise TransitionError("Only a lead has follow-up stages")
    if target not in _NEXT.get(current or "new", set()):
        raise TransitionError(f"A lead cannot go from stage {current} to {target}")


def check_convert(status: str, stage: str | None) -> None:
    if status != "lead":
        raise TransitionError("Only a lead can be converted to a customer")
    if stage == "lost":
        raise TransitionError("A lost lead must be reopened before it is converted")


def check_back_to_lead(status: str) -> None:
    if status != "customer":
        raise TransitionError("Only a customer can go back to being a lead")
