"""How many records each of a record's lists holds, up to a page, in one statement.

A detail screen shows every tab's count before the tab is opened. Reading each tab's first page to
count it costs a request, an RPC, a statement and the page's serialisation per tab; here PostgreSQL
counts all of them at once, each list a `count(*)` over at most `limit + 1` rows of the very
statement the list pages through (its filters and scope), so a count never says what the list would
not show and never reads more than a page of it, however long the list is.
"""
from marshmallow import Schema, fields, validate
from sqlalchemy import bindparam, func, literal_column, select
from sqlalchemy.types import Integer

from crm_common.pagination import MAX_LIMIT
from crm_common.validation import StrictSchema

DEFAULT_TAB_LIMIT = 100  # the console's tab page


class CountsQuery(StrictSchema):
    limit = fields.Integer(load_default=DEFAULT_TAB_LIMIT, validate=validate.Range(1, MAX_LIMIT))


class CountOut(Schema):
    count = fields.Integer(required=True, metadata={"description": "Records in the list, at most `limit`."})
    more = fields.Boolean(required=True, metadata={"description": "The list holds more than `limit`."})


def counts_out(names, description: str) -> type[Schema]:
    """An output schema {name: CountOut or null} for the lists `names`."""
    return Schema.from_dict({name: fields.Nested(CountOut, allow_none=True) for name in names},
                            name=description)


def _capped(stmt, cap):
    """A scalar sub-select: the rows of `stmt`, counted up to `cap`."""
    inner = stmt.with_only_columns(literal_column("1"), maintain_column_froms=True).order_by(None) \
        .limit(cap).subquery()
    return select(func.count()).select_from(inner).scalar_subquery()


def _answer(names, values, limit: int) -> dict:
    return {name: {"count": min(n, limit), "more": n > limit} for name, n in zip(names, values, strict=True)}


def capped_counts(session, statements: dict, limit: int) -> dict:
    """{name: {"count", "more"}} of every list statement in `statements`, in one round trip."""
    if not statements:
        return {}
    row = session.execute(select(*(_capped(stmt, limit + 1).label(name) for name, stmt in statements.items()))).one()
    return _answer(statements, row, limit)


class OwnedCounts:
    """The counts of lists that depend on nothing but their owner record's id (a customer's
    contacts, history, …): built and compiled once per process, then run as plain SQL. Built per
    call, constructing the statement and its cache key cost more than PostgreSQL counting."""

    def __init__(self, build, owner_type):
        self.build = build  # owner id (a bind parameter) → {name: list statement}
        self.owner_type = owner_type  # the owner id column's type
        self._by_dialect: dict = {}

    def _compiled(self, dialect) -> tuple[tuple, str, dict]:
        if dialect.name in self._by_dialect:
            return self._by_dialect[dialect.name]
        statements = self.build(bindparam("owner_id", type_=self.owner_type))
        cap = bindparam("cap", type_=Integer())
        compiled = select(*(_capped(stmt, cap).label(name) for name, stmt in statements.items())).compile(
            dialect=dialect)
        constants = {k: v for k, v in compiled.params.items() if k not in ("owner_id", "cap")}
        self._by_dialect[dialect.name] = tuple(statements), str(compiled), constants
        return self._by_dialect[dialect.name]

    def run(self, session, owner_id: str, limit: int) -> dict:
        connection = session.connection()
        names, sql, constants = self._compiled(connection.dialect)
        row = connection.exec_driver_sql(sql, {**constants, "owner_id": owner_id, "cap": limit + 1}).one()
        return _answer(names, row, limit)
