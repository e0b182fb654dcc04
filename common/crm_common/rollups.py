"""Report read models (issue 17, the report pack): per-day figures per owner and department,
kept from events, so a report sums a few thousand rollup rows instead of scanning millions of
records at read time.

Each service keeps its own `report_rollups` table beside the records it owns (docs/reports.md
says which service owns which metric). A handler of a catalogued event turns the event into
`Delta`s (the rules are pure, in the area's `rules.py`) and `add` upserts them, inside the
idempotent handler's unit of work: a redelivered event changes nothing.

One row = (metric, branch day, branch, department, owner, key, currency) with additive figures:
`count`, `amount`, `weighted` (the amount times the win probability, for the pipeline),
`quantity` (units sold) and `days` (summed durations, for an average cycle). A "standing" metric
(what is open now, e.g. the pipeline by stage) is kept on the one day STANDING.

Reads are scoped exactly like the records they come from (`scope_filter` on the rollup's owner,
department and branch), grouped by the branch's month, quarter or year (the day is already the
branch's: the handler took the instant's day in the branch's zone).
"""
from datetime import date, timedelta

from marshmallow import Schema, fields, validate
from sqlalchemy import (BigInteger, Column, Date, Index, MetaData, Numeric, PrimaryKeyConstraint, String, Table,
                        Uuid, and_, func, or_, select)
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_common import field_policy
from crm_common.principal import Principal, scope_filter
from crm_common.report_figures import FIGURES, STANDING, Delta, local_day, net  # noqa: F401 (re-exported)
from crm_common.validation import StrictSchema

PERIODS = ("day", "month", "quarter", "year")
GRAINS = ("day", "month")
KEY = ("metric", "grain", "day", "branch", "department_path", "owner_id", "key", "currency")
# The month rows of the day rows (a backfill writes the days, then this); `add` keeps both.
MONTHS_FROM_DAYS = f"""
    INSERT INTO report_rollups (metric, grain, day, branch, department_path, owner_id, key, currency,
                                {", ".join(FIGURES)})
    SELECT metric, 'month', date_trunc('month', day)::date, branch, department_path, owner_id, key, currency,
           {", ".join(f"sum({name})" for name in FIGURES)}
    FROM report_rollups WHERE grain = 'day'
    GROUP BY metric, 3, branch, department_path, owner_id, key, currency"""


def rollups_table(metadata: MetaData) -> Table:
    return Table(
        "report_rollups", metadata,
        Column("metric", String(40), nullable=False),
        Column("grain", String(5), nullable=False, server_default="day"),
        Column("day", Date, nullable=False),
        Column("branch", String(20), nullable=False),
        Column("department_path", String(500), nullable=False),
        Column("owner_id", Uuid(as_uuid=False), nullable=False),
        Column("key", String(100), nullable=False, server_default=""),
        Column("currency", String(3), nullable=False, server_default=""),
        Column("count", BigInteger, nullable=False, server_default="0"),
        Column("amount", Numeric(18, 2), nullable=False, server_default="0"),
        Column("weighted", Numeric(18, 2), nullable=False, server_default="0"),
        Column("quantity", Numeric(18, 3), nullable=False, server_default="0"),
        Column("days", Numeric(18, 2), nullable=False, server_default="0"),
        PrimaryKeyConstraint(*KEY),
        # a rep's own figures (scope own); a department's and above go by the primary key's days
        Index("ix_report_rollups_owner", "metric", "grain", "owner_id", "day"),
    )


def add(session, table: Table, deltas) -> None:
    """Upsert each delta on its day's row and its month's row: the figures grow by the delta's.

    A report over whole months (or no bounds) sums the month rows, thirty times fewer."""
    rows: dict[tuple, dict] = {}
    for d in deltas:
        for grain, day in (("day", d.day), ("month", d.day.replace(day=1))):
            row = {**d.row(), "grain": grain, "day": day}
            key = tuple(row[name] for name in KEY)
            if key in rows:  # one row at most once per statement
                for name in FIGURES:
                    rows[key][name] += row[name]
            else:
                rows[key] = row
    if not rows:
        return
    stmt = pg_insert(table).values(list(rows.values()))
    session.execute(stmt.on_conflict_do_update(
        index_elements=list(KEY), set_={name: table.c[name] + stmt.excluded[name] for name in FIGURES}))


def grain_for(since: date | None, until: date | None) -> str:
    """Month rows answer when the days asked are whole months (or unbounded), day rows otherwise."""
    whole = (since is None or since.day == 1) and (until is None or (until + timedelta(days=1)).day == 1)
    return "month" if whole else "day"


def spans(since: date | None, until: date | None) -> list[tuple[str, date | None, date | None]]:
    """The days asked as (grain, first, last) pieces, both ends included (None: unbounded): the
    whole months inside from the month rows, only the partial months at the edges from the day
    rows. Year to date on 1 December is 11 month rows and one day row per key, not 335 day rows
    (bench/reports.py: 492 ms at p95 before)."""
    if grain_for(since, until) == "month":
        return [("month", since, until)]
    first_whole = since if since is None or since.day == 1 else _next_month(since)
    after_whole = None if until is None else (until + timedelta(days=1)).replace(day=1)  # first day past them
    if first_whole is not None and after_whole is not None and first_whole >= after_whole:
        return [("day", since, until)]  # inside one month, or across two partial ones
    pieces = [("month", first_whole, None if after_whole is None else after_whole - timedelta(days=1))]
    if since is not None and since < first_whole:
        pieces.append(("day", since, first_whole - timedelta(days=1)))
    if until is not None and after_whole <= until:
        pieces.append(("day", after_whole, until))
    return pieces


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


# --- reads ------------------------------------------------------------------------------------

class PeriodQuery(StrictSchema):
    """The question of a report over periods: which periods, from when until when (branch days,
    `until` included), optionally one owner or department within the caller's scope."""
    period = fields.String(load_default="month", validate=validate.OneOf(PERIODS[1:]))
    since = fields.Date(load_default=None)
    until = fields.Date(load_default=None)
    owner_id = fields.UUID(load_default=None)
    department_path = fields.String(load_default=None, validate=validate.Length(min=1, max=500))


def scoped(table: Table, principal: Principal, permission: str, metrics, q: dict):
    """The caller's rows of `metrics` (their scope for `permission`), within the query's days and
    narrowed to its owner or department; a standing metric ignores the days. The days are
    `spans`' pieces: month rows for the whole months, day rows for the partial edges (a month
    row's day is its first day, so it falls in the same month, quarter and year bucket)."""
    pieces = []
    for grain, first, last in spans(q.get("since"), q.get("until")):
        piece = [table.c.grain == grain]
        if first is not None:
            piece.append(table.c.day >= first)
        if last is not None:
            piece.append(table.c.day <= last)
        pieces.append(and_(*piece))
    conditions = [table.c.metric.in_(metrics), pieces[0] if len(pieces) == 1 else or_(*pieces),
                  scope_filter(principal, table.c, permission)]
    if q.get("owner_id"):
        conditions.append(table.c.owner_id == str(q["owner_id"]))
    if q.get("department_path"):
        conditions.append(table.c.department_path.startswith(q["department_path"], autoescape=True))
    return conditions


def bucket(table: Table, period: str):
    """The first day of the branch period a rollup day falls in."""
    return func.date_trunc(period, table.c.day).cast(Date)


def sums(table: Table, *names):
    return [func.coalesce(func.sum(table.c[name]), 0).label(name) for name in names]


def grouped(session, table: Table, conditions, by: list, names=FIGURES, order=None, limit=None) -> list:
    """Figures summed per `by` (columns or labelled expressions)."""
    stmt = select(*by, *sums(table, *names)).where(*conditions).group_by(*by)
    if order is not None:
        stmt = stmt.order_by(*order)
    if limit:
        stmt = stmt.limit(limit)
    return session.execute(stmt).all()


class ReportColumn(Schema):
    key = fields.String()
    label = fields.String()  # the Chinese header of the export and the console's table
    kind = fields.String()  # crm_common.exports.KINDS


def export_page(report: dict, columns: list[tuple[str, str, str]], rows_key: str = "items", *,
                schema: type | None = None, field_rules: dict | None = None) -> dict:
    """A report as the one page of an export (crm_common.exports' shape): every figure as text.

    With the caller's field rules (`Principal.field_rules`) and the report's answer schema, its
    figures are shaped as the answer is (crm_common.field_policy): masked, or their columns left
    out, as are the columns of figures the report itself left out (a ranking's amount)."""
    def text(value):
        return None if value is None else str(value)
    if field_rules:
        plan = field_policy.plan_of(schema) if schema is not None else None
        if plan is not None:
            field_policy.shape(plan, field_rules, report, True)
            rows_plan = plan[2].get(rows_key)
            hidden = field_policy.hidden_keys(rows_plan[0], field_rules) if rows_plan else set()
        else:
            hidden = set()
        items = report[rows_key]
        columns = [c for c in columns if c[0] not in hidden and (not items or any(c[0] in i for i in items))]
    rows = [[text(item.get(key)) for key, _, _ in columns] for item in report[rows_key]]
    return {"columns": [{"key": k, "label": label, "kind": kind} for k, label, kind in columns],
            "total": len(rows), "rows": rows, "next_cursor": None}


def create_table(bind) -> None:
    """The table as it is today, for a service's migration that adds it (like the plumbing's)."""
    metadata = MetaData()
    rollups_table(metadata).create(bind)
