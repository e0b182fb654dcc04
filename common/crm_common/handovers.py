"""A departing user's records go to a colleague (issue 14, "half hand-overs"; docs/handover.md).

The customers service starts a hand-over (it moves the customers itself) and emits
`customers.handover_started`; every other service that keeps owned records mixes in
`FollowsHandOvers`, says in `handed_over(now)` which rows move ({label: (model, [conditions])},
e.g. open opportunities), and answers `<service>.handover_done` with the count of each label,
which the customers service keeps on the hand-over for the admin to read. The handler is
idempotent like every other (a redelivered event moves nothing and reports nothing twice).
"""
from collections.abc import Callable

from sqlalchemy import update

from crm_common.events.handlers import handles
from crm_common.records import utcnow

SCOPE = ("owner_id", "department_path", "branch")
# Who answers a hand-over besides the customers service that starts it.
FOLLOWERS = ("sales", "logistics", "workspace")


def move_owned(session, moves: dict, from_user_id: str, receiver: dict) -> dict[str, int]:
    """Re-own every row of each label (the receiver's owner, department and branch); the counts."""
    counts = {}
    for label, (model, conditions) in moves.items():
        result = session.execute(update(model).where(model.owner_id == from_user_id, *conditions)
                                 .values({key: receiver[key] for key in SCOPE})
                                 .returning(model.id).execution_options(synchronize_session=False))
        counts[label] = len(result.all())
    return counts


class FollowsHandOvers:
    name: str
    handed_over: Callable  # (now) -> {label: (model, [conditions])}

    @handles("customers.handover_started")
    def on_handover_started(self, uow, envelope, data):
        receiver = {key: data[key] for key in SCOPE}
        counts = move_owned(uow.session, self.handed_over(utcnow()), data["from_user_id"], receiver)
        uow.emit(f"{self.name}.handover_done", {"handover_id": data["handover_id"], "counts": counts, **receiver})
