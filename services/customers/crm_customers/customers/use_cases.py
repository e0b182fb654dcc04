"""Use cases of the customer record: create, change, leads and their stages (CUS-01, 02, 06, 11),
and what every area writes along with its own change: history rows and the recycle due date.
"""
from sqlalchemy import delete, insert, text

from crm_common import branch_time, stars
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

# When each customer falls back to the pool (CUS-07), kept in `customers.recycle_due_at`:
# the later of the end of the protection period and last activity + N branch days, N from the rule of
# the customer's value level (or the '*' rule); no rule → never recycled. Stored rather than
# computed at query time so the scheduled job is an index range scan at any table size.
_RULE = """(SELECT {expr} FROM recycle_rules r
             WHERE r.value_level IN (coalesce(c.value_level, '*'), '*')
             ORDER BY (r.value_level = '*') LIMIT 1)"""
# N days are the branch's (:zone, crm_common.branch_time.days_later): due at the local midnight
# N days after the day of the last activity
DUE_SQL = _RULE.format(expr="GREATEST(coalesce(c.protected_until, c.last_activity_at), "
                            "(date_trunc('day', c.last_activity_at AT TIME ZONE :zone)"
                            " + make_interval(days => r.days_without_followup)) AT TIME ZONE :zone)")
NOTICE_SQL = _RULE.format(expr="r.notice_days")
PROTECTION_SQL = _RULE.format(expr="r.protection_days")


def refresh_due(session, customer_id: str | None = None) -> None:
    """Recompute for one customer, or for every owned live customer (after a rule change)."""
    where = "c.id = :id" if customer_id else "c.deleted_at IS NULL AND NOT c.in_pool"
    session.execute(text(f"UPDATE customers c SET recycle_due_at = {DUE_SQL} WHERE {where}"),
                    {"zone": branch_time.zone().key, **({"id": customer_id} if customer_id else {})})


def protection_days(session, customer_id: str) -> int:
    value = session.execute(text(f"SELECT {PROTECTION_SQL} FROM customers c WHERE c.id = :id"),
                            {"id": customer_id}).scalar()
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
    customer.last_activity_at = utcnow()
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


def create(uow, principal: Principal, payload) -> dict:
    principal.require(WRITE)
    data = load_body(CustomerCreateIn(), payload)
    with uow:
        customer = new_customer(uow, principal, data, status="customer")
        uow.session.refresh(customer)
        return reveal(principal, customer, CustomerOut().dump(customer))


def update(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require(WRITE)
    data = load_body(CustomerIn(), payload, partial=True)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True)
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


def create_lead(uow, principal: Principal, payload) -> dict:
    principal.require(WRITE)
    data = load_body(CustomerCreateIn(), payload)
    with uow:
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
