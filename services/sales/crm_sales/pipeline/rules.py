"""Pipeline rules free of framework code: an opportunity moves between open stages until it is
won or lost, and then stays as it ended; how long it stayed in each stage."""
from datetime import datetime

from crm_common.statemachine import StateMachine

LIFECYCLE = StateMachine("opportunity", {
    "move": ({"open"}, "open"),
    "edit": ({"open"}, "open"),
    "win": ({"open"}, "won"),
    "lose": ({"open"}, "lost"),
})


def time_in_stages(entries: list[tuple[str, datetime, datetime | None]], now: datetime) -> tuple[list, dict]:
    """(seconds of each stay, seconds per stage summed over its stays) of (stage id, entered,
    left) in order; the current stay (left None) counts until `now`."""
    stays, per_stage = [], {}
    for stage_id, entered, left in entries:
        seconds = max(0, int(((left or now) - entered).total_seconds()))
        stays.append(seconds)
        per_stage[stage_id] = per_stage.get(stage_id, 0) + seconds
    return stays, per_stage
