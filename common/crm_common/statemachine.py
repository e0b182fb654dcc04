"""One way to write a document's life cycle: a table of actions, each with the statuses it may
start from and the status it leads to. Pure: no database, no framework.

A refused action is a `TransitionNotAllowed` (409) that names the current status and what may be
done from it, so a client (or a person reading the console) knows what to do instead.
"""
from collections.abc import Iterable, Mapping

from crm_common.errors import Conflict


class TransitionNotAllowed(Conflict):
    pass


class StateMachine:
    def __init__(self, document: str, transitions: Mapping[str, tuple[Iterable[str], str]]):
        self.document = document
        self._transitions = {action: (frozenset(sources), target)
                             for action, (sources, target) in transitions.items()}

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self._transitions)

    @property
    def statuses(self) -> frozenset[str]:
        found = set()
        for sources, target in self._transitions.values():
            found |= sources | {target}
        return frozenset(found)

    def allowed_actions(self, current: str) -> list[str]:
        """In the table's order, which is the order people read them in."""
        return [action for action, (sources, _) in self._transitions.items() if current in sources]

    def can(self, current: str, action: str) -> bool:
        return current in self._sources(action)

    def next_status(self, current: str, action: str) -> str:
        if current not in self._sources(action):
            allowed = self.allowed_actions(current)
            raise TransitionNotAllowed(
                f"Cannot {action} this {self.document}: it is {current}; "
                f"allowed now: {', '.join(allowed) if allowed else 'nothing'}",
                {"status": [current], "allowed_actions": allowed})
        return self._transitions[action][1]

    def apply(self, record, action: str, field: str = "status") -> str:
        """Moves `record.<field>` on by `action` and returns the new status."""
        target = self.next_status(getattr(record, field), action)
        setattr(record, field, target)
        return target

    def _sources(self, action: str) -> frozenset[str]:
        try:
            return self._transitions[action][0]
        except KeyError:
            # A programming error, not a client's: the action is not in this document's table.
            raise ValueError(f"{self.document} has no action {action!r}") from None
