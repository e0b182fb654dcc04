"""One page of a list for an export: the list's own scoped and filtered statement, walked by a
keyset cursor on (created_at, id) in pages of EXPORT_PAGE_ROWS, with columns that say their
Chinese header and their kind.

The gateway asks for page after page and writes the file (CSV or xlsx) while they come, so
neither side holds more than one page, whatever the number of rows. Cells cross the RPC as
JSON: text, decimal strings for money, ISO dates; instants in the branch's local time, which is
what an office user expects to read in a spreadsheet.
"""
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from marshmallow import fields, validate
from sqlalchemy import func, select, tuple_

from crm_common import branch_time
from crm_common.pagination import decode_cursor, encode_cursor
from crm_common.validation import StrictSchema

EXPORT_PAGE_ROWS = 2000
# text, number, money (decimal string), date (ISO), datetime (local, ISO without zone),
# user (an id the gateway turns into the user's name: the gateway owns the users)
KINDS = ("text", "number", "money", "date", "datetime", "user")
FORMATS = ("csv", "xlsx")
SORT = "export"  # what the signed cursor is for: a list's cursor is refused here


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"
    # from the row (the record, or the record followed by joined columns); by default the
    # record's attribute `key`
    value: Callable[[Any], Any] | None = None


def cell(raw, kind: str = "text"):
    if raw is None:
        return None
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, datetime):
        return raw.astimezone(branch_time.zone()).replace(tzinfo=None).isoformat(timespec="seconds")
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, (list, tuple)):
        return "|".join(str(v) for v in raw)
    if kind == "number" and isinstance(raw, int):
        return raw
    return str(raw)


def page(session, stmt, model, columns: tuple[Column, ...], cursor: str | None) -> dict:
    """The page after `cursor` (None: the first, which also says the columns and the total).

    `stmt` selects `model` first, maybe followed by joined columns (a contact's customer name)."""
    out = {"next_cursor": None, "columns": None, "total": None}
    if cursor is None:
        out["columns"] = [{"key": c.key, "label": c.label, "kind": c.kind} for c in columns]
        out["total"] = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar()
    else:
        created_at, last_id = decode_cursor(cursor, SORT, model.created_at)
        stmt = stmt.where(tuple_(model.created_at, model.id) > (created_at, last_id))
    rows_per_page = EXPORT_PAGE_ROWS
    rows = session.execute(stmt.order_by(model.created_at, model.id).limit(rows_per_page + 1)).all()
    if len(rows) > rows_per_page:
        rows = rows[:rows_per_page]
        out["next_cursor"] = encode_cursor(SORT, rows[-1][0].created_at, rows[-1][0].id)
    single = len(stmt.column_descriptions) == 1
    out["rows"] = [[cell(c.value(row[0] if single else row) if c.value else getattr(row[0], c.key), c.kind)
                    for c in columns] for row in rows]
    return out


class ExportFormat(StrictSchema):
    """Mixed into a list's filters to make its export query: the file's format (the gateway
    writes the file; the service only checks the value, so the document describes it)."""
    format = fields.String(load_default="csv", validate=validate.OneOf(FORMATS))
