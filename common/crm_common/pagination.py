"""Keyset pagination with an opaque, signed cursor and allow-listed sort fields."""
import base64
import hashlib
import hmac
import json
from datetime import date, datetime
from decimal import Decimal

from marshmallow import fields, validate
from sqlalchemy import Integer, Text, Uuid, bindparam, cast, select, tuple_, union_all
from sqlalchemy.orm import aliased

from crm_common import config
from crm_common.errors import BadRequest
from crm_common.validation import StrictSchema

DEFAULT_LIMIT, MAX_LIMIT = 50, 200


class ListQuery(StrictSchema):
    """Base of every list query schema; resources add their filter fields."""
    limit = fields.Integer(load_default=DEFAULT_LIMIT, validate=validate.Range(1, MAX_LIMIT))
    cursor = fields.String(load_default=None)
    sort = fields.String(load_default=None)


def _sign(raw: bytes) -> str:
    return hmac.new(config.secret_key(), raw, hashlib.sha256).hexdigest()[:32]


def encode_cursor(sort: str, value, last_id: str) -> str:
    if isinstance(value, (datetime, date)):
        value = value.isoformat()
    elif isinstance(value, Decimal):
        value = str(value)
    raw = json.dumps([sort, value, last_id], separators=(",", ":")).encode()
    return f"{base64.urlsafe_b64encode(raw).decode().rstrip('=')}.{_sign(raw)}"


def decode_cursor(cursor: str, sort: str, column):
    try:
        payload, signature = cursor.split(".", 1)
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        valid = hmac.compare_digest(_sign(raw), signature)
        cursor_sort, value, last_id = json.loads(raw) if valid else (None, None, None)
    except (ValueError, TypeError):
        valid = False
    if not valid or cursor_sort != sort:
        raise BadRequest("Invalid cursor", {"cursor": ["Not a cursor issued for this query."]})
    python_type = column.type.python_type
    if python_type in (datetime, date):
        value = python_type.fromisoformat(value)
    elif python_type is Decimal:
        value = Decimal(value)
    return value, last_id


def resolve_sort(sort: str | None, allowed: dict, default: str):
    sort = sort or default
    name = sort.lstrip("-")
    if name not in allowed:
        raise BadRequest("Unsupported sort field",
                         {"sort": [f"Must be one of: {', '.join(sorted(allowed))} (prefix - for descending)."]})
    return sort, allowed[name], sort.startswith("-")


def keyset_page(session, stmt, id_column, query: dict, allowed_sorts: dict, default_sort: str, *, either=None):
    """Run `stmt` (already scoped and filtered) one page at a time.

    Returns (rows, next_cursor). Sort columns must be NOT NULL so the tuple comparison is total.
    `either`: disjoint conditions of which a row meets one (the scope, or a team membership
    outside it: crm_common.teams.either); each half is paged on its own index range and the
    halves merged, since an OR of them would make PostgreSQL read and sort every row of both.
    """
    sort, column, descending = resolve_sort(query.get("sort"), allowed_sorts, default_sort)
    if query.get("cursor"):
        value, last_id = decode_cursor(query["cursor"], sort, column)
        key = tuple_(column, id_column)
        stmt = stmt.where(key < (value, last_id) if descending else key > (value, last_id))
    limit = query["limit"]
    if either:
        model = stmt.column_descriptions[0]["entity"]
        halves = [stmt.where(half).order_by(*_order(column, id_column, descending)).limit(limit + 1)
                  for half in either]
        merged = aliased(model, union_all(*halves).subquery())
        stmt = select(merged).order_by(*_order(getattr(merged, column.key), getattr(merged, id_column.key),
                                                descending))
    else:
        stmt = stmt.order_by(*_order(column, id_column, descending))
    rows = session.execute(stmt.limit(limit + 1)).scalars().all()
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        next_cursor = encode_cursor(sort, getattr(last, column.key), getattr(last, id_column.key))
    return rows, next_cursor


def keyset_values(query: dict, allowed_sorts: dict, default_sort: str) -> tuple[str, object, bool, dict]:
    """(sort, its column, descending, the bind values of keyset_subquery) for one call."""
    sort, column, descending = resolve_sort(query.get("sort"), allowed_sorts, default_sort)
    values = {"page_rows": query["limit"] + 1}
    if query.get("cursor"):
        values["after_value"], values["after_id"] = decode_cursor(query["cursor"], sort, column)
    return sort, column, descending, values


def keyset_subquery(stmt, id_column, column, descending: bool, after: bool, either=None):
    """keyset_page's page as a statement built once per shape: `stmt` (a select of columns,
    scoped and filtered), one page of it as a subquery whose rows the caller orders again
    (keyset_order); the cursor ("after_value", "after_id") and the row count ("page_rows") are
    bind parameters (keyset_values)."""
    if after:
        key = tuple_(column, id_column)
        bound = tuple_(bindparam("after_value", type_=column.type), bindparam("after_id", type_=id_column.type))
        stmt = stmt.where(key < bound if descending else key > bound)
    rows = bindparam("page_rows", type_=Integer)
    if either:
        return union_all(*(stmt.where(half).order_by(*_order(column, id_column, descending)).limit(rows)
                           for half in either)).subquery()
    return stmt.order_by(*_order(column, id_column, descending)).limit(rows).subquery()


def page_columns(sub) -> list:
    """The columns of a keyset page (keyset_subquery) for the statement that orders it again, a
    uuid read as its text: what Uuid(as_uuid=False) answers anyway, without psycopg making a
    uuid.UUID of every value and SQLAlchemy a str of it again (five of them a row of a customer
    list: ~6 % of the list's use case). PostgreSQL writes a uuid as str(uuid.UUID) does."""
    return [cast(c, Text).label(c.key) if isinstance(c.type, Uuid) and not c.type.as_uuid else c for c in sub.c]


def keyset_order(sub, id_column, column, descending: bool) -> tuple:
    return _order(sub.c[column.key], sub.c[id_column.key], descending)


def keyset_rows(rows: list, limit: int, sort: str, column, id_column) -> tuple[list, str | None]:
    """(the page, next cursor) of the limit + 1 rows a keyset statement read."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(sort, rows[-1][column.key], rows[-1][id_column.key])


def _order(column, id_column, descending: bool) -> tuple:
    return (column.desc(), id_column.desc()) if descending else (column.asc(), id_column.asc())
