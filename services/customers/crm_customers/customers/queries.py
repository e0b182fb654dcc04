"""Reads of customer records: the scoped lookup every area uses, lists with their filters and
sorts, the duplicate check, the history (CUS-01, 02, 10, 11).

Every filter and sort comes from an allow-list: the fixed columns below, or a custom field
that an admin defined (`cf.<key>`). Client text is only ever a bound parameter.
"""
from functools import lru_cache
from types import SimpleNamespace

from marshmallow.utils import get_value
from sqlalchemy import bindparam, cast, exists, func, literal, or_, select, tuple_
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import noload

from crm_common.approvers import in_scope_or_approver
from crm_common.errors import BadRequest, Conflict, Forbidden, NotFound
from crm_common.folding import attributes as folding_attributes, json_list, rows
from crm_common.pagination import (decode_cursor, encode_cursor, keyset_order, keyset_page, keyset_rows,
                                   keyset_subquery, keyset_values, page_columns, resolve_sort)
from crm_common import regions, stars, teams
from crm_common.teams import shape_values
from crm_common.principal import Principal, like_prefix, scope_condition, scope_filter, scope_shape
from crm_common.records import is_uuid
from crm_common.validation import load_query
from crm_customers.customers.models import Customer, History, Phone
from crm_customers.db import STARS, TEAM
from crm_customers.customers.rules import phone_key
from crm_customers.customers.schemas import CustomerListQuery, CustomerOut, HistoryListQuery, HistoryOut
from crm_customers.fields.queries import definitions
from crm_customers.fields.rules import parse_filter

READ, WRITE = "customers.read", "customers.write"
VIEW_SENSITIVE = "customers.view_sensitive"  # the 身份证号 in full
SORTS = {"created_at": Customer.created_at, "name": Customer.name, "code": Customer.code,
         "updated_at": Customer.updated_at}
LIVE = (Customer.deleted_at.is_(None),)
CUSTOM_PREFIX = "cf."
STAR_KIND = TEAM_KIND = "customer"
DUPLICATE_LIMIT = 10
_EQUAL = ("kind", "code", "industry", "source", "value_level", "status", "stage")
_PLACE = ("province", "city", "district")


def find(session, principal: Principal, customer_id, for_update=False, *, pool=False, options=()) -> Customer:
    """The live customer if the caller may see it (in scope, or a live team member of it; or,
    with pool=True, it sits in their branch's pool); NotFound otherwise. Locking it (for_update)
    means changing it, so the caller's scope for customers.write (or a read-write membership)
    applies: a customer they may read but not change answers 403. `options`: loader options,
    a constant of the caller's (part of the statement's shape, like NO_PHONES)."""
    if not is_uuid(customer_id):
        raise NotFound("Customer not found")
    permission = WRITE if for_update else READ
    stmt = find_statement(scope_shape(principal, permission), for_update, pool, options)
    customer = session.execute(stmt, {**shape_values(principal), "customer_id": str(customer_id)}).scalar_one_or_none()
    if customer is None:
        if for_update and session.execute(select(Customer.id).where(
                Customer.id == str(customer_id), in_scope_or_team(principal, READ), *LIVE)).first():
            raise Forbidden("Your data scope lets you read this customer but not change it")
        raise NotFound("Customer not found")
    return customer


def record_for_approver(session, principal: Principal, model, record_id, document_type: str, approves):
    """A record of a customer (an extension request, an expense) with the customer it belongs to:
    the caller sees the customer, or the sales engine has them decide the record as
    `document_type` (or they decided it). NotFound otherwise."""
    def read_any():
        return session.get(model, str(record_id)) if is_uuid(record_id) else None

    def read_in_scope():
        record = read_any()
        if record is None:
            raise NotFound(f"{model.__name__} not found")
        find(session, principal, record.customer_id)
        return record

    record = in_scope_or_approver(read_in_scope, read_any, lambda _: document_type, approves)
    return record, session.get(Customer, record.customer_id)


@lru_cache(maxsize=64)
def find_statement(shape: str, for_update: bool, pool: bool, options: tuple, columns: bool = False):
    """find's statement for a scope `shape`, built once: the caller's values and the id are bound.
    `columns`: the customer's columns by attribute name (find_columns) instead of the entity."""
    value = lambda name: bindparam(name)  # noqa: E731
    visible_ = teams.visible_shape(shape, Customer, TEAM, TEAM_KIND, value, write=for_update)
    if pool:
        visible_ = or_(visible_, Customer.in_pool.is_(True) & (Customer.branch == value("scope_branch")))
    stmt = select(*_COLUMNS) if columns else select(Customer).options(*options)
    stmt = stmt.where(Customer.id == bindparam("customer_id", type_=Customer.id.type), visible_, *LIVE)
    return stmt.with_for_update() if for_update else stmt


def find_columns(session, principal: Principal, customer_id, *, pool=False) -> dict:
    """find for a read that only dumps the customer: its columns by attribute name, read through the
    connection (the ORM's execution and loading of one entity cost ~0.3 ms more), the same values
    the entity's attributes have; NotFound as find."""
    if not is_uuid(customer_id):
        raise NotFound("Customer not found")
    stmt = find_statement(scope_shape(principal, READ), False, pool, (), columns=True)
    row = session.connection().execute(stmt, {**shape_values(principal), "customer_id": str(customer_id)}).first()
    if row is None:
        raise NotFound("Customer not found")
    return dict(row._mapping)


NO_PHONES = (noload(Customer.phones),)  # find's option for a read that folds the phones in


def find_parent(session, principal: Principal, customer_id, record: str, for_update=False) -> Customer:
    """The customer a sub-record belongs to: out of scope answers exactly like a missing
    sub-record ("Contact not found"), so the sub-record's existence does not leak."""
    try:
        return find(session, principal, customer_id, for_update)
    except NotFound:
        raise NotFound(f"{record} not found") from None


def duplicates(session, principal: Principal, customer: Customer, more_phones=()) -> dict:
    """Live customers with the same normalised name, phone (any of theirs, in the comparable form)
    or email. Only those the caller may see are described; the others are only counted, so nothing
    out of scope leaks."""
    keys = [Customer.name_key == customer.name_key]
    numbers = sorted({number for number in (customer.phone_key, *more_phones) if number})
    if numbers:
        keys.append(Customer.phone_key.in_(numbers))
        keys.append(exists(select(Phone.id).where(Phone.customer_id == Customer.id, Phone.number.in_(numbers))))
    if customer.email_key:
        keys.append(Customer.email_key == customer.email_key)
    return _described(session, principal, select(Customer.id, Customer.code, Customer.name, scope_filter(
        principal, Customer).label("mine")).where(or_(*keys), Customer.id != customer.id, *LIVE))


def _described(session, principal: Principal, stmt) -> dict:
    rows = session.execute(stmt.limit(DUPLICATE_LIMIT * 5)).all()
    visible_ = [{"id": r.id, "code": r.code, "name": r.name} for r in rows if r.mine][:DUPLICATE_LIMIT]
    return {"candidates": visible_, "other_matches": sum(1 for r in rows if not r.mine)}


def same_credit_code(session, principal: Principal, customer: Customer) -> None:
    """One live customer per 统一社会信用代码: another one is a 409 naming it (if the caller may see
    it), whatever confirm_duplicate says, since one company has one code."""
    if not customer.credit_code:
        return
    found = _described(session, principal, select(
        Customer.id, Customer.code, Customer.name, scope_filter(principal, Customer).label("mine"))
        .where(Customer.credit_code == customer.credit_code, Customer.id != customer.id, *LIVE))
    if found["candidates"] or found["other_matches"]:
        raise Conflict("A customer with this credit code exists already",
                       {"credit_code": ["Already the code of another customer."], "duplicates": [found]})


def reveal(principal: Principal, customer, out: dict) -> dict:
    """The whole ID number for whoever may see it; everyone else keeps the masked one."""
    if principal.has(VIEW_SENSITIVE):
        out["id_number"] = get_value(customer, "id_number")  # an entity, or a row of columns
    return out


_LIST_QUERY = CustomerListQuery()  # loading keeps nothing in the schema; building one copies its fields


def list_(uow, principal: Principal, query) -> dict:
    """A page of the customers the caller sees. On a column sort it is one statement built once
    per shape (scope, filters present, sort, cursor: list_statement) with every value bound, its
    rows read as columns, the phones and the caller's stars folded in; on a custom field's sort
    (rare) the statement is built for the call (list_entities)."""
    principal.require(READ)
    plain, custom = split_custom(query)
    q = load_query(_LIST_QUERY, plain)
    if (q.get("sort") or "").lstrip("-").startswith(CUSTOM_PREFIX):
        return list_entities(uow, principal, q, custom)
    with uow.reading():
        values = filter_values(uow.session, q, custom)
        sort, column, descending, page_values = keyset_values(q, SORTS, "-created_at")
        shape = scope_shape(principal, READ)
        stmt = list_statement(shape, tuple(values), sort, "after_value" in page_values, q.get("starred"))
        values.update(page_values, **shape_values(principal), star_user=principal.user_id)
        # columns only: the connection's result, without the ORM's loading of rows (a read has nothing to flush)
        result = uow.session.connection().execute(stmt, values)
        names = tuple(result.keys())
        # all() fetches the page in one call to psycopg; iterating the result fetched row by row
        found, cursor = keyset_rows([dict(zip(names, row, strict=True)) for row in result.all()], q["limit"], sort,
                                    column, Customer.id)
        for row in found:  # the phones as the ORM would have loaded them: the same schema dumps the same answer
            row["phones"] = rows(Phone, row["phones"])
        items = CustomerOut.shared(many=True).dump(found)
        if principal.has(VIEW_SENSITIVE):
            items = [reveal(principal, row, item) for row, item in zip(found, items, strict=True)]
        return {"items": items, "next_cursor": cursor}


_COLUMNS = tuple(column.label(key) for key, column in folding_attributes(Customer))
# the list reads what its answer shows (CustomerOut): the comparison keys, owner_since, merged_into_id
# and deleted_at stay in the table (6 of 49 columns fewer to send, convert and put in a row's dict)
_SHOWN = {field.attribute or name for name, field in CustomerOut().dump_fields.items()}
_LIST_COLUMNS = tuple(column for column in _COLUMNS if column.key in _SHOWN)


@lru_cache(maxsize=256)
def list_statement(shape: str, filters: tuple, sort: str, after: bool, starred: bool | None):
    """The list's statement for a scope `shape`, the filters present (names of filter_values),
    the sort and whether a cursor is given; every value a bind parameter (list_ gives them)."""
    def bind(name, value):
        return bindparam(name, type_=_CUSTOM_JSON if name.startswith("custom_") else None)
    stmt = select(*_LIST_COLUMNS).where(Customer.in_pool.is_(False), *LIVE,
                                   *filter_conditions(dict.fromkeys(filters), bind))
    star_user = bindparam("star_user", type_=STARS.c.user_id.type)
    if starred is not None:
        stmt = stmt.where(stars.starred_filter(STARS, star_user, STAR_KIND, Customer.id, starred))
    value = lambda name: bindparam(name)  # noqa: E731
    either = teams.halves(shape, Customer, TEAM, TEAM_KIND, value)
    if either is None:
        stmt = stmt.where(scope_condition(shape, Customer, value))
    _, column, descending = resolve_sort(sort, SORTS, "-created_at")
    sub = keyset_subquery(stmt, Customer.id, column, descending, after, either)
    phones = json_list(Phone, Phone.customer_id == sub.c.id, Phone.contact_id.is_(None), order_by=(Phone.position,),
                       correlate=sub)
    mine = stars.starred_filter(STARS, star_user, STAR_KIND, sub.c.id, True)
    return select(*page_columns(sub), phones.label("phones"), mine.label("starred")) \
        .order_by(*keyset_order(sub, Customer.id, column, descending)).limit(bindparam("page_rows"))


_CUSTOM_JSON = Customer.custom.type


def list_entities(uow, principal: Principal, q: dict, custom: dict) -> dict:
    """The list as ORM entities, the statement built for the call: a custom field's sort, and the
    answer the shaped statement of list_ must equal (tests/test_customer_list_shapes.py)."""
    with uow.reading():
        # a keyset page walks the scope's index and the memberships apart (teams.either)
        halves = teams.either(principal, Customer, TEAM, TEAM_KIND, READ)
        stmt = apply_filters(uow.session, unscoped() if halves else visible(principal), q, custom)
        if "starred" in q:
            stmt = stmt.where(stars.starred_filter(STARS, principal.user_id, STAR_KIND, Customer.id, q["starred"]))
        found, cursor = page(uow.session, stmt, q, halves)
        items = CustomerOut.shared(many=True).dump(found)
        items = [reveal(principal, row, item) for row, item in zip(found, items, strict=True)]
        return {"items": stars.mark(uow.session, STARS, principal.user_id, STAR_KIND, items), "next_cursor": cursor}


def in_scope_or_team(principal: Principal, permission: str = READ, write: bool = False):
    """The caller's data scope for `permission`, widened by the customers listing them as a team
    member (read-write ones only, for a change)."""
    return teams.visible(principal, Customer, TEAM, TEAM_KIND, permission, write)


def visible(principal: Principal):
    """Customers the caller may see in lists and exports: in scope or a team member's, alive,
    not parked in the pool."""
    return unscoped().where(in_scope_or_team(principal))


def unscoped():
    return select(Customer).where(Customer.in_pool.is_(False), *LIVE)


def split_custom(query: dict) -> tuple[dict, dict]:
    """(plain query, custom-field filters) from a raw query-string dict."""
    query = dict(query or {})
    custom = {k[len(CUSTOM_PREFIX):]: query.pop(k) for k in list(query) if k.startswith(CUSTOM_PREFIX)}
    return query, custom


def apply_filters(session, stmt, q: dict, custom: dict):
    return stmt.where(*filter_conditions(filter_values(session, q, custom), _itself))


def _itself(name: str, value):
    return value


def filter_values(session, q: dict, custom: dict) -> dict:
    """What the list's filters compare with, by the names filter_conditions asks for (the
    client's text bound, never written into SQL); raises BadRequest for a filter that means nothing."""
    values = {}
    if "name" in q:
        values["name_like"] = f"%{_escape(q['name'])}%"
        if len(q["name"]) >= 2:
            values["name_pairs"] = q["name"]
    for field in _EQUAL:
        if field in q:
            values[field] = q[field]
    place = {level: q[level] for level in _PLACE if level in q}
    if place:  # by region code, whichever way it was typed (浙江, 浙江省, 330000)
        try:
            codes = regions.resolve(place.get("province"), place.get("city"), place.get("district"))
        except regions.Unresolved as exc:
            raise BadRequest("Not a place of the region table", exc.errors) from None
        for level in place:
            values[f"{level}_code"] = codes[f"{level}_code"]
    if "owner_id" in q:
        values["owner_id"] = str(q["owner_id"])
    if "group" in q:
        values["group"], values["group_below"] = q["group"], like_prefix(q["group"] + "/")
    if "phone" in q:
        values["phone"] = phone_key(q["phone"])
    if "tag" in q:
        values["tag"] = [q["tag"]]
    if custom:
        defs = definitions(session, "customer")
        errors = {}
        for index, (key, raw) in enumerate(custom.items()):
            if key not in defs:
                errors[CUSTOM_PREFIX + key] = ["Not a defined custom field."]
                continue
            try:
                value = parse_filter(raw, defs[key])
            except ValueError as exc:
                errors[CUSTOM_PREFIX + key] = [str(exc)]
                continue
            values[f"custom_{index}"] = {key: [value] if defs[key]["type"] == "multi_select" else value}
        if errors:
            raise BadRequest("Invalid custom field filter", errors)
    return values


def filter_conditions(values: dict, bind) -> list:
    """The conditions of the filters in `values` (filter_values); `bind(name, value)` is what
    each compares with: the value itself, or a bind parameter of a statement built once."""
    def b(name):
        return bind(name, values[name])
    out = []
    if "name_like" in values:
        # the character pairs narrow it down through their GIN index (models.NAME_BIGRAMS_SQL),
        # ILIKE decides; one character has no pair: ILIKE alone
        if "name_pairs" in values:
            out.append(func.customer_name_bigrams(Customer.name).op("@>")(func.customer_name_bigrams(b("name_pairs"))))
        out.append(Customer.name.ilike(b("name_like"), escape="\\"))
    for field in _EQUAL:
        if field in values:
            out.append(getattr(Customer, field) == b(field))
    for level in _PLACE:
        if f"{level}_code" in values:
            out.append(getattr(Customer, f"{level}_code") == b(f"{level}_code"))
    if "owner_id" in values:
        out.append(Customer.owner_id == b("owner_id"))
    if "group" in values:
        out.append(or_(Customer.group_path == b("group"), Customer.group_path.like(b("group_below"), escape="/")))
    if "phone" in values:
        out.append(or_(Customer.phone_key == b("phone"), exists(select(Phone.id).where(
            Phone.customer_id == Customer.id, Phone.number == b("phone")))))
    if "tag" in values:
        out.append(Customer.tags.contains(b("tag")))
    out.extend(Customer.custom.contains(b(name)) for name in values if name.startswith("custom_"))  # @>, GIN
    return out


def name_contains(fragment: str) -> tuple:
    """Conditions for "the name contains `fragment`" (case-insensitive), as the list's name filter."""
    return tuple(filter_conditions(filter_values(None, {"name": fragment}, {}), _itself))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def page(session, stmt, q: dict, halves=None):
    """Keyset page on a column sort, or on a custom field (`sort=cf.level`, `-cf.level`).
    `halves`: the scope and the memberships outside it, when `stmt` has neither yet."""
    sort = q.get("sort") or ""
    if not sort.lstrip("-").startswith(CUSTOM_PREFIX):
        return keyset_page(session, stmt, Customer.id, q, SORTS, "-created_at", either=halves)
    if halves:  # a custom field's order has no index to keep: one OR is as good
        stmt = stmt.where(or_(*halves))
    key = sort.lstrip("-")[len(CUSTOM_PREFIX):]
    if key not in definitions(session, "customer"):
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


def history(uow, principal: Principal, customer_id, query) -> dict:
    """What happened to a customer: every stage, owner, contact and interaction change (CUS-01, CUS-07)."""
    principal.require(READ)
    q = load_query(HistoryListQuery(), query)
    with uow.reading():
        customer = find(uow.session, principal, customer_id)
        stmt = listed_history(customer.id)
        if q.get("cursor"):
            try:
                stmt = stmt.where(History.id < int(q["cursor"]))
            except ValueError:
                raise BadRequest("Invalid cursor", {"cursor": ["Not a cursor of this list."]}) from None
        rows = uow.session.execute(stmt.order_by(History.id.desc()).limit(q["limit"] + 1)).scalars().all()
        more = len(rows) > q["limit"]
        rows = rows[: q["limit"]]
        return {"items": HistoryOut.shared(many=True).dump(rows), "next_cursor": str(rows[-1].id) if more else None}


def listed_history(customer_id: str):
    return select(History).where(History.customer_id == customer_id)


def latest_history(limit: int, customer=Customer):
    """The customer's latest history, newest first, for its detail view (a folding.json_list
    inside the statement that reads `customer`)."""
    return json_list(History, History.customer_id == customer.id, order_by=(History.id.desc(),), limit=limit,
                     correlate=customer)


def dump_latest_history(raw) -> list[dict]:
    return HistoryOut.shared(many=True).dump(rows(History, raw))

