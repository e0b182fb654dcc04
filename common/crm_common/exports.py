"""One page of a list for an export: the list's own scoped and filtered statement, walked by a
keyset cursor on (created_at, id) in pages of EXPORT_PAGE_ROWS, with columns that say their
Chinese header and their kind.

The gateway asks for page after page and writes the file (CSV or xlsx) while they come, so
neither side holds more than one page, whatever the number of rows. PostgreSQL renders every
cell as the text a person reads (instants in the branch's local time, decimals exactly, lists
joined by '|', 是/否), so a page is plain rows of strings with no ORM objects built: the kind
of each column tells the gateway what to make of them in a spreadsheet.
"""
from dataclasses import dataclass, field
from typing import Any

from marshmallow import fields, validate
from sqlalchemy import (ARRAY, Boolean, Date, DateTime, Integer, Numeric, String, case, cast, func, select, tuple_,
                        union_all)
from sqlalchemy.dialects.postgresql import JSONB

from crm_common import branch_time, field_policy
from crm_common.pagination import decode_cursor, encode_cursor
from crm_common.validation import StrictSchema

EXPORT_PAGE_ROWS = 2000
# text; number and money (decimal strings); date (ISO); datetime (local, "YYYY-MM-DD HH:MM:SS");
# user (an id the gateway turns into the user's name: the gateway owns the users)
KINDS = ("text", "number", "money", "date", "datetime", "user")
FORMATS = ("csv", "xlsx")
# what an export answers, by its `format`: the OpenAPI document lists both (", "-separated)
MEDIA_TYPES = "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SORT = "export"  # what the signed cursor is for: a list's cursor is refused here


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    expr: Any = field(compare=False)  # a column or SQL expression of the exported statement
    kind: str | None = None  # by default from the expression's type

    def described(self) -> dict:
        return {"key": self.key, "label": self.label, "kind": self.kind or _kind(self.expr.type)}

    def as_text(self):
        expr, sql_type = self.expr, self.expr.type
        if isinstance(sql_type, DateTime):
            local = func.timezone(branch_time.zone().key, expr)
            return func.to_char(local, "YYYY-MM-DD HH24:MI:SS")
        if isinstance(sql_type, Boolean):
            return case((expr.is_(True), "是"), (expr.is_(False), "否"))
        if isinstance(sql_type, ARRAY):
            return func.array_to_string(expr, "|")
        if isinstance(sql_type, JSONB):  # a custom field: a value, or the values of a multi-select
            return case((func.jsonb_typeof(expr) == "array",
                         select(func.string_agg(func.jsonb_array_elements_text(expr).column_valued(), "|"))
                         .scalar_subquery()), else_=expr.op("#>>")(cast("{}", ARRAY(String))))
        if isinstance(sql_type, (Date, Numeric, Integer)):
            return cast(expr, String)
        return expr


def _kind(sql_type) -> str:
    if isinstance(sql_type, DateTime):
        return "datetime"
    if isinstance(sql_type, Date):
        return "date"
    if isinstance(sql_type, Integer):
        return "number"
    if isinstance(sql_type, Numeric):
        return "money"
    return "text"


def labelled(mapping: dict, expr):
    """A code column shown in words (状态: 已审核); an unknown code is shown as it is."""
    return case(mapping, value=expr, else_=expr)


def page(session, stmt, model, columns: tuple[Column, ...], cursor: str | None, *,
         resource: str | None = None, field_rules: dict | None = None, either=None) -> dict:
    """The page after `cursor` (None: the first, which also says the columns and the total).

    `stmt` is the list's scoped and filtered select of `model` (maybe with joins). With the
    caller's field rules (`Principal.field_rules`) for `resource`, a hidden column is not even
    read and a masked one is masked here (an export is a list: "masked in lists" applies).
    `either`: as the list's keyset_page, the disjoint halves of the scope (crm_common.teams.either)
    when `stmt` has none yet; each half walks its own index range and the pages are merged, where
    one OR of them would read and sort every row of the scope for every page."""
    masked = {}
    if resource is not None and field_rules:
        columns, masked = field_policy.export_columns(resource, field_rules, columns)
    out = {"next_cursor": None, "columns": None, "total": None}
    halves = [stmt.where(half) for half in either] if either else [stmt]
    if cursor is None:
        out["columns"] = [{**c.described(), "kind": "text"} if i in masked else c.described()
                          for i, c in enumerate(columns)]
        out["total"] = sum(session.execute(select(func.count()).select_from(half.order_by(None).subquery())).scalar()
                           for half in halves)
    else:
        created_at, last_id = decode_cursor(cursor, SORT, model.created_at)
        halves = [half.where(tuple_(model.created_at, model.id) > (created_at, last_id)) for half in halves]
    texts = [c.as_text().label(f"c{i}") for i, c in enumerate(columns)]
    halves = [half.with_only_columns(model.created_at.label("sort_at"), model.id.label("sort_id"), *texts,
                                     maintain_column_froms=True)
              .order_by(model.created_at, model.id).limit(EXPORT_PAGE_ROWS + 1) for half in halves]
    if len(halves) == 1:
        query = halves[0]
    else:
        merged = union_all(*halves).subquery()
        query = select(merged).order_by(merged.c.sort_at, merged.c.sort_id).limit(EXPORT_PAGE_ROWS + 1)
    # Core, not the ORM: plain rows of text, nothing to build per row
    rows = session.connection().execute(query).all()
    if len(rows) > EXPORT_PAGE_ROWS:
        rows = rows[:EXPORT_PAGE_ROWS]
        out["next_cursor"] = encode_cursor(SORT, rows[-1][0], rows[-1][1])
    out["rows"] = [list(row[2:]) for row in rows]
    for index, kind in masked.items():
        for row in out["rows"]:
            row[index] = field_policy.mask(kind, row[index])
    return out


class ExportFormat(StrictSchema):
    """Mixed into a list's filters to make its export query: the file's format (the gateway
    writes the file; the service only checks the value, so the document describes it)."""
    format = fields.String(load_default="csv", validate=validate.OneOf(FORMATS))


def export_query(schema: type) -> type:
    """A report's question plus the file's format: the query of the report's export (a report is
    one page: crm_common.rollups.export_page)."""
    return type(f"{schema.__name__}Export", (schema, ExportFormat), {})
