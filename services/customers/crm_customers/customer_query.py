"""Filters and sorts of customer lists, exports and statistics (CUS-02, CUS-10).

Every filter and sort comes from an allow-list: the fixed columns below, or a custom field
that an admin defined (`cf.<key>`). Client text is only ever a bound parameter.
"""
from types import SimpleNamespace

from sqlalchemy import cast, func, literal, or_, select, tuple_
from sqlalchemy.dialects.postgresql import JSONB

from crm_common.errors import BadRequest
from crm_common.pagination import decode_cursor, encode_cursor, keyset_page
from crm_common.principal import Principal, scope_filter
from crm_customers import custom_fields
from crm_customers.custom_field_rules import parse_filter
from crm_customers.dedup_rules import phone_key
from crm_customers.models import Customer

SORTS = {"created_at": Customer.created_at, "name": Customer.name, "code": Customer.code,
         "updated_at": Customer.updated_at}
LIVE = (Customer.deleted_at.is_(None),)
CUSTOM_PREFIX = "cf."
_EQUAL = ("code", "industry", "source", "value_level", "province", "city", "district", "status", "stage")


def visible(principal: Principal):
    """Customers the caller may see in lists: in scope, alive, not parked in the pool."""
    return select(Customer).where(scope_filter(principal, Customer, "customers.read"), Customer.in_pool.is_(False),
                                  *LIVE)


def split_custom(query: dict) -> tuple[dict, dict]:
    """(plain query, custom-field filters) from a raw query-string dict."""
    query = dict(query or {})
    custom = {k[len(CUSTOM_PREFIX):]: query.pop(k) for k in list(query) if k.startswith(CUSTOM_PREFIX)}
    return query, custom


def apply_filters(session, stmt, q: dict, custom: dict):
    if "name" in q:
        # ILIKE '%…%' is answered by the trigram GIN index for 3+ characters (Chinese included)
        stmt = stmt.where(Customer.name.ilike(f"%{_escape(q['name'])}%", escape="\\"))
    for field in _EQUAL:
        if field in q:
            stmt = stmt.where(getattr(Customer, field) == q[field])
    if "owner_id" in q:
        stmt = stmt.where(Customer.owner_id == str(q["owner_id"]))
    if "group" in q:
        stmt = stmt.where(or_(Customer.group_path == q["group"],
                              Customer.group_path.startswith(q["group"] + "/", autoescape=True)))
    if "phone" in q:
        stmt = stmt.where(Customer.phone_key == phone_key(q["phone"]))
    if "tag" in q:
        stmt = stmt.where(Customer.tags.contains([q["tag"]]))
    if custom:
        defs = custom_fields.definitions(session, "customer")
        errors = {}
        for key, raw in custom.items():
            if key not in defs:
                errors[CUSTOM_PREFIX + key] = ["Not a defined custom field."]
                continue
            try:
                value = parse_filter(raw, defs[key])
            except ValueError as exc:
                errors[CUSTOM_PREFIX + key] = [str(exc)]
                continue
            wanted = [value] if defs[key]["type"] == "multi_select" else value
            stmt = stmt.where(Customer.custom.contains({key: wanted}))  # @>, GIN-indexed
        if errors:
            raise BadRequest("Invalid custom field filter", errors)
    return stmt


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def page(session, stmt, q: dict):
    """Keyset page on a column sort, or on a custom field (`sort=cf.level`, `-cf.level`)."""
    sort = q.get("sort") or ""
    if not sort.lstrip("-").startswith(CUSTOM_PREFIX):
        return keyset_page(session, stmt, Customer.id, q, SORTS, "-created_at")
    key = sort.lstrip("-")[len(CUSTOM_PREFIX):]
    if key not in custom_fields.definitions(session, "customer"):
        raise BadRequest("Unsupported sort field", {"sort": ["Not a defined custom field."]})
    descending = sort.startswith("-")
    # jsonb orders numbers numerically and ISO dates as text; a missing value sorts as JSON null
    expr = func.coalesce(Customer.custom[key], cast(literal("null"), JSONB))
    if q.get("cursor"):
        value, last_id = decode_cursor(q["cursor"], sort, SimpleNamespace(type=SimpleNamespace(python_type=object)))
        bound = tuple_(literal(value, JSONB), literal(last_id, Customer.id.type))
        key_tuple = tuple_(expr, Customer.id)
        stmt = stmt.where(key_tuple < bound if descending else key_tuple > bound)
    order = (expr.desc(), Customer.id.desc()) if descending else (expr.asc(), Customer.id.asc())
    rows = session.execute(stmt.order_by(*order).limit(q["limit"] + 1)).scalars().all()
    cursor = None
    if len(rows) > q["limit"]:
        rows = rows[: q["limit"]]
        cursor = encode_cursor(sort, rows[-1].custom.get(key), rows[-1].id)
    return rows, cursor
