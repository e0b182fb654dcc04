"""Use cases of the customer record: create, change, leads and their stages (CUS-01, 02, 06, 11),
and what every area writes along with its own change: history rows and the recycle due date.
"""
from sqlalchemy import delete, insert, text

from crm_common import branch_time, picklists, regions, stars
from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal
from crm_common.records import ownership_of, utcnow
from crm_common.validation import NoInput, load_body
from crm_customers.customers import rules
from crm_customers.customers.models import Customer, History, Phone
from crm_customers.customers.queries import READ, STAR_KIND, WRITE, duplicates, find, reveal, same_credit_code
from crm_customers.customers.rules import STAGE_ACTIONS, email_key, move, name_key, phone_key
from crm_customers.customers.schemas import CustomerCreateIn, CustomerIn, CustomerOut, StageIn
from crm_customers.db import STARS
from crm_customers.fields.queries import clean
from crm_customers.groups.queries import assign as assign_group

# When each owned customer falls back to its pool (CUS-07, CUS-15), kept in
# `customers.recycle_due_at` with the reason in `recycle_reason` (pool.rules.REASONS). The rule is
# its pool's for its value level, or the pool's '*' rule; each of its three clocks that is set
# gives a date N branch days after its fact: the last follow-up, the last new opportunity, the last
# deal (won opportunity or approved order), none earlier than the day the owner got it. The earliest
# date wins, never before the protection period ends. Locked customers, and where the pool says so
# won customers or customers with an open opportunity, have no date and the hold as the reason.
# Stored rather than computed at query time: the nightly run is an index range scan, the lists show
# it without joins. One set-based statement, for one customer or for every one of them.
# The one place a customer's value level picks its rule: `rl` its level's rule of the pool, `rd`
# the pool's '*' rule when the level has none (value levels become a dictionary's codes: only the
# code is compared). Columns are read as coalesce(rl.x, rd.x).
_LEVEL_RULES = """LEFT JOIN pool_rules rl ON rl.pool_id = {pool} AND rl.value_level = {level}
        LEFT JOIN pool_rules rd ON rd.pool_id = {pool} AND rd.value_level = '*' AND rl.pool_id IS NULL"""
_DAY_ADD = "(date_trunc('day', {ts} AT TIME ZONE :zone) + make_interval(days => {n})) AT TIME ZONE :zone"
_RECYCLE_SQL = f"""
WITH t AS (SELECT c.id, coalesce(c.pool_id, (SELECT id FROM pools WHERE is_default)) AS pool_id, c.value_level, c.locked, c.protected_until, c.last_activity_at,
                  c.owner_since
             FROM customers c WHERE c.deleted_at IS NULL AND NOT c.in_pool AND {{where}}),
o AS (SELECT customer_id, max(opened_at) AS last_opened, max(closed_at) FILTER (WHERE outcome = 'won') AS last_won,
             count(*) FILTER (WHERE opened_at IS NOT NULL AND closed_at IS NULL) AS open_count
        FROM pool_opportunities {{some}} GROUP BY customer_id),
m AS (SELECT customer_id, max(approved_at) AS last_order FROM money_orders
       WHERE approved_at IS NOT NULL {{and_some}} GROUP BY customer_id),
r AS (SELECT t.id, t.locked, t.protected_until,
             coalesce(p.exempt_won, false) AND (o.last_won IS NOT NULL OR m.last_order IS NOT NULL) AS won,
             coalesce(p.exempt_open_opportunity, false) AND coalesce(o.open_count, 0) > 0 AS open_opportunity,
             {_DAY_ADD.format(ts="t.last_activity_at", n="coalesce(rl.days_without_followup, rd.days_without_followup)")}
               AS by_followup,
             {_DAY_ADD.format(ts="GREATEST(t.owner_since, o.last_opened)",
                              n="coalesce(rl.days_without_opportunity, rd.days_without_opportunity)")} AS by_opportunity,
             {_DAY_ADD.format(ts="GREATEST(t.owner_since, o.last_won, m.last_order)",
                              n="coalesce(rl.days_without_deal, rd.days_without_deal)")} AS by_deal
        FROM t LEFT JOIN pools p ON p.id = t.pool_id
        {_LEVEL_RULES.format(pool="t.pool_id", level="t.value_level")}
        LEFT JOIN o ON o.customer_id = t.id LEFT JOIN m ON m.customer_id = t.id),
e AS (SELECT r.*, LEAST(by_followup, by_opportunity, by_deal) AS earliest FROM r),
s AS (SELECT id,
             CASE WHEN locked OR won OR open_opportunity OR earliest IS NULL THEN NULL
                  ELSE GREATEST(earliest, protected_until) END AS due,
             CASE WHEN locked THEN 'locked' WHEN won THEN 'won' WHEN open_opportunity THEN 'open_opportunity'
                  WHEN earliest IS NULL THEN NULL WHEN earliest = by_followup THEN 'no_followup'
                  WHEN earliest = by_opportunity THEN 'no_opportunity' ELSE 'no_deal' END AS reason
        FROM e)
UPDATE customers c SET recycle_due_at = s.due, recycle_reason = s.reason FROM s
 WHERE c.id = s.id AND (c.recycle_due_at IS DISTINCT FROM s.due OR c.recycle_reason IS DISTINCT FROM s.reason)
"""
# the pool of an owned customer: the one of the deepest department above its own, else the default
_POOL_SQL = """
UPDATE customers c SET pool_id = (
    SELECT p.id FROM pools p
     WHERE p.is_default OR c.department_path LIKE p.department_path || '%'
     ORDER BY p.is_default, length(p.department_path) DESC LIMIT 1)
 WHERE c.deleted_at IS NULL AND NOT c.in_pool AND {where}"""
# days of warning before `recycle_due_at`, for a customer `c`
NOTICE_SQL = f"""(SELECT coalesce(rl.notice_days, rd.notice_days, 0) FROM (SELECT 1) one
    {_LEVEL_RULES.format(pool="c.pool_id", level="c.value_level")})"""


def _where(customer_id, ids) -> tuple[str, dict]:
    if customer_id is not None:
        return "c.id = :id", {"id": customer_id}
    if ids is not None:
        return "c.id = ANY(CAST(:ids AS uuid[]))", {"ids": list(ids)}
    return "true", {}


def refresh_due(session, customer_id: str | None = None, *, ids=None, pools: bool = False) -> None:
    """Recompute for one customer, some (`ids`), or every owned live customer (a rule changed, the
    nightly run). `pools`: first find each one's pool again (its department or the pools changed)."""
    where, params = _where(customer_id, ids)
    if pools or customer_id is not None or ids is not None:
        session.execute(text(_POOL_SQL.format(where=where)), params)
    # all of them: the facts' tables are aggregated whole (hash joins), not probed per customer
    some = "customer_id IN (SELECT id FROM t)" if params else ""
    session.execute(text(_RECYCLE_SQL.format(where=where, some=f"WHERE {some}" if some else "",
                                             and_some=f"AND {some}" if some else "")),
                    {"zone": branch_time.zone().key, **params})


def protection_days(session, customer_id: str) -> int:
    value = session.execute(text(f"""
        SELECT coalesce(rl.protection_days, rd.protection_days, 0) FROM customers c
          {_LEVEL_RULES.format(pool="c.pool_id", level="c.value_level")}
         WHERE c.id = :id"""), {"id": customer_id}).scalar()
    return value or 0


def record_history(session, customer_id: str, kind: str, actor_id: str | None, /, **data) -> None:
    """What happened to a customer, readable by whoever sees the customer (CUS-01, CUS-07)."""
    session.execute(insert(History).values(customer_id=customer_id, kind=kind, actor_id=actor_id,
                                           data=_jsonable(data), created_at=utcnow()))


def _jsonable(data: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def set_keys(customer: Customer) -> None:
    customer.name_key = name_key(customer.name)
    customer.phone_key = phone_key(customer.phone)
    customer.email_key = email_key(customer.email)


def write_phones(session, customer_id: str, contact_id: str | None, phones: list) -> None:
    """Replace the numbers of a customer (contact_id None) or of one of its contacts."""
    owner = Phone.contact_id.is_(None) if contact_id is None else Phone.contact_id == contact_id
    session.execute(delete(Phone).where(Phone.customer_id == customer_id, owner))
    session.add_all(Phone(customer_id=customer_id, contact_id=contact_id, position=position, kind=item["kind"],
                          number=item["parsed"].number, extension=item["parsed"].extension,
                          typed=item["number"].strip())
                    for position, item in enumerate(phones))


def resolve_place(data: dict, current: Customer | None = None) -> None:
    """Province, city and district as typed (codes or names) become region codes and their names."""
    typed = rules.typed_place(data, current and {f"{level}_code": getattr(current, f"{level}_code")
                                                 for level in rules.PLACE})
    if typed is None:
        return
    try:
        codes = regions.resolve(typed["province"], typed["city"], typed["district"])
    except regions.Unresolved as exc:
        raise InvalidInput("Not a place of the region table", exc.errors) from None
    data.update(codes)
    data.update(regions.names(codes))


def check_identity(customer: Customer) -> None:
    """The identifiers fit the kind and each other; the birthday comes from the ID number."""
    errors = rules.identity_errors(customer.kind, {field: getattr(customer, field) for field in (
        *rules.COMPANY_IDENTIFIERS, "id_number")})
    if errors:
        raise InvalidInput("These identifiers do not fit the customer", errors)
    if customer.id_number and customer.birthday is None:
        customer.birthday = rules.birth_date(customer.id_number)


def new_customer(uow, principal: Principal, data: dict, *, status: str, stage=None) -> Customer:
    confirm = data.pop("confirm_duplicate", False)
    phones = data.pop("phones", [])
    data["custom"] = clean(uow.session, "customer", data.get("custom"))
    customer = Customer(id=new_id(), code=uow.document_number("customer", principal.branch), status=status, stage=stage,
                        **ownership_of(principal), **data)
    customer.last_activity_at = customer.owner_since = utcnow()
    set_keys(customer)
    check_identity(customer)
    same_credit_code(uow.session, principal, customer)
    if not confirm:
        found = duplicates(uow.session, principal, customer, [item["parsed"].number for item in phones])
        if found["candidates"] or found["other_matches"]:
            raise Conflict("Possible duplicate customer; resend with confirm_duplicate=true to create it",
                           {"duplicates": [found]})
    uow.session.add(customer)
    uow.session.flush()
    write_phones(uow.session, customer.id, None, phones)
    refresh_due(uow.session, customer.id)
    record_history(uow.session, customer.id, "created", principal.user_id, status=status, stage=stage)
    return customer


def create(uow, principal: Principal, payload, picks: picklists.Picks | None = None) -> dict:
    principal.require(WRITE)
    data = load_body(CustomerCreateIn(), payload)
    picklists.check(data, picklists.CUSTOMER_FIELDS, picks)
    resolve_place(data)
    with uow:
        assign_group(uow.session, data)
        customer = new_customer(uow, principal, data, status="customer")
        uow.session.refresh(customer)
        return reveal(principal, customer, CustomerOut().dump(customer))


def update(uow, principal: Principal, customer_id, payload, picks: picklists.Picks | None = None) -> dict:
    principal.require(WRITE)
    data = load_body(CustomerIn(), payload, partial=True)
    picklists.check(data, picklists.CUSTOMER_FIELDS, picks)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True)
        resolve_place(data, customer)
        assign_group(uow.session, data, customer.group_id)
        if "custom" in data:
            data["custom"] = clean(uow.session, "customer", data["custom"], current=customer.custom)
        phones = data.pop("phones", None)
        changed = {k: v for k, v in data.items() if getattr(customer, k) != v}
        for key, value in changed.items():
            setattr(customer, key, value)
        set_keys(customer)
        check_identity(customer)
        if "credit_code" in changed:
            same_credit_code(uow.session, principal, customer)
        if phones is not None:
            write_phones(uow.session, customer.id, None, phones)
            changed["phones"] = True
        if changed:
            record_history(uow.session, customer.id, "updated", principal.user_id, fields=sorted(changed))
        if "value_level" in changed:
            refresh_due(uow.session, customer.id)
        uow.session.flush()
        uow.session.refresh(customer)
        return reveal(principal, customer, CustomerOut().dump(customer))


def _scope(customer: Customer) -> dict:
    return {"owner_id": customer.owner_id, "department_path": customer.department_path, "branch": customer.branch}


def create_lead(uow, principal: Principal, payload, picks: picklists.Picks | None = None) -> dict:
    principal.require(WRITE)
    data = load_body(CustomerCreateIn(), payload)
    picklists.check(data, picklists.CUSTOMER_FIELDS, picks)
    resolve_place(data)
    with uow:
        assign_group(uow.session, data)
        lead = new_customer(uow, principal, data, status="lead", stage="new")
        uow.session.refresh(lead)
        uow.emit("customers.lead_created", {"customer_id": lead.id, "created_at": lead.created_at,
                                            **_scope(lead)})
        return CustomerOut().dump(lead)


def _move(uow, principal: Principal, customer_id, action: str, kind: str) -> dict:
    principal.require(WRITE)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True)
        before = {"status": customer.status, "stage": customer.stage}
        customer.status, customer.stage = move(customer.status, customer.stage, action)
        record_history(uow.session, customer.id, kind, principal.user_id, before=before,
                       after={"status": customer.status, "stage": customer.stage})
        if action == "convert":
            uow.emit("customers.lead_converted", {"customer_id": customer.id, "created_at": customer.created_at,
                                                  "converted_at": utcnow(), **_scope(customer)})
        uow.session.flush()
        return CustomerOut().dump(customer)


def change_stage(uow, principal: Principal, customer_id, payload) -> dict:
    target = load_body(StageIn(), payload)["stage"]
    return _move(uow, principal, customer_id, STAGE_ACTIONS[target], "stage_changed")


def convert(uow, principal: Principal, customer_id, payload) -> dict:
    load_body(NoInput(), payload)
    return _move(uow, principal, customer_id, "convert", "converted")


def back_to_lead(uow, principal: Principal, customer_id, payload) -> dict:
    load_body(NoInput(), payload)
    return _move(uow, principal, customer_id, "back_to_lead", "back_to_lead")


def set_star(uow, principal: Principal, customer_id, starred: bool) -> dict:
    """Star (关注) or unstar a customer the caller may read; a star is theirs alone."""
    principal.require(READ)
    with uow:
        customer = find(uow.session, principal, customer_id)
        return stars.set_star(uow.session, STARS, principal.user_id, STAR_KIND, customer.id, starred)
