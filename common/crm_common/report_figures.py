"""What one event adds to the report pack's rollups (crm_common.rollups), free of frameworks so
every area's rules may build them."""
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal

from crm_common import branch_time

STANDING = date(1, 1, 1)  # the day of a standing metric's rows: no period, the current state
FIGURES = ("count", "amount", "weighted", "quantity", "days")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Delta:
    """What one event adds to one rollup row (negative figures take back)."""
    metric: str
    day: date
    owner_id: str
    department_path: str
    branch: str
    key: str = ""
    currency: str = ""
    count: int = 0
    amount: Decimal = ZERO
    weighted: Decimal = ZERO
    quantity: Decimal = ZERO
    days: Decimal = ZERO

    def row(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def negated(self) -> "Delta":
        return Delta(**{**self.row(), **{name: -getattr(self, name) for name in FIGURES}})


def net(deltas) -> list[Delta]:
    """Deltas on the same row added up, rows that cancel out dropped (a move within one stage)."""
    rows: dict[tuple, dict] = {}
    for d in deltas:
        row = d.row()
        key = tuple(row[name] for name in row if name not in FIGURES)
        if key in rows:
            for name in FIGURES:
                rows[key][name] += row[name]
        else:
            rows[key] = row
    return [Delta(**row) for row in rows.values() if any(row[name] for name in FIGURES)]


def local_day(instant: datetime) -> date:
    """The branch's day of an instant: 23:30 UTC on 31 March is 1 April in Beijing."""
    return branch_time.day_of(instant, branch_time.zone())
