"""Use cases for customer records (CUS-01, CUS-02, CUS-11 duplicate check)."""
from sqlalchemy import or_, select

from crm_common.database import new_id
from crm_common.errors import Conflict, Forbidden, NotFound
from crm_common.principal import Principal, scope_filter
from crm_common.records import is_uuid, ownership_of, utcnow
from crm_common.validation import load_body, load_query
from crm_customers import custom_fields, customer_query, history, recycle_due
from crm_customers.aftersales_schemas import RelationOut
from crm_customers.dedup_rules import email_key, name_key, phone_key
from crm_customers.models import Customer, Interaction, Relation
from crm_customers.schemas import (CustomerCreateIn, CustomerDetailOut, CustomerIn, CustomerListQuery,
                                   CustomerOut)

DUPLICATE_LIMIT = 10


READ, WRITE = "customers.read", "customers.write"


def find(session, principal: Principal, customer_id, for_update=False, *, pool=False) -> Customer:
    """The live customer if the caller may see it (or, with pool=True, it sits in their branch's
    pool); NotFound otherwise. Locking it (for_update) means changing it, so the caller's scope
    for customers.write applies: a customer they may read but not change answers 403."""
    if not is_uuid(customer_id):
        raise NotFound("Customer not found")
    permission = WRITE if for_update else READ
    visible = scope_filter(principal, Customer, permission)
    if pool:
        visible = or_(visible, Customer.in_pool.is_(True) & (Customer.branch == principal.branch))
    stmt = select(Customer).where(Customer.id == str(customer_id), visible, *customer_query.LIVE)
    if for_update:
        stmt = stmt.with_for_update()
    customer = session.execute(stmt).scalar_one_or_none()
    if customer is None:
        if for_update and session.execute(select(Customer.id).where(
                Customer.id == str(customer_id), scope_filter(principal, Customer, READ), *customer_query.LIVE)).first():
            raise Forbidden("Your data scope lets you read this customer but not change it")
        raise NotFound("Customer not found")
    return customer


def find_parent(session, principal: Principal, customer_id, record: str, for_update=False) -> Customer:
    """The customer a sub-record belongs to: out of scope answers exactly like a missing
    sub-record ("Contact not found"), so the sub-record's existence does not leak."""
    try:
        return find(session, principal, customer_id, for_update)
    except NotFound:
        raise NotFound(f"{record} not found") from None


def set_keys(customer: Customer) -> None:
    customer.name_key = name_key(customer.name)
    customer.phone_key = phone_key(customer.phone)
    customer.email_key = email_key(customer.email)


def duplicates(session, principal: Principal, customer: Customer) -> dict:
    """Live customers with the same normalised name, phone or email. Only those the caller may
    see are described; the others are only counted, so nothing out of scope leaks."""
    keys = [Customer.name_key == customer.name_key]
    if customer.phone_key:
        keys.append(Customer.phone_key == customer.phone_key)
    if customer.email_key:
        keys.append(Customer.email_key == customer.email_key)
    stmt = select(Customer.id, Customer.code, Customer.name, scope_filter(principal, Customer).label("mine")) \
        .where(or_(*keys), Customer.id != customer.id, *customer_query.LIVE).limit(DUPLICATE_LIMIT * 5)
    rows = session.execute(stmt).all()
    visible = [{"id": r.id, "code": r.code, "name": r.name} for r in rows if r.mine][:DUPLICATE_LIMIT]
    return {"candidates": visible, "other_matches": sum(1 for r in rows if not r.mine)}


def new_customer(uow, principal: Principal, data: dict, *, status: str, stage=None) -> Customer:
    confirm = data.pop("confirm_duplicate", False)
    data["custom"] = custom_fields.clean(uow.session, "customer", data.get("custom"))
    customer = Customer(id=new_id(), code=uow.next_number(f"C-{principal.branch}"), status=status, stage=stage,
                        **ownership_of(principal), **data)
    customer.last_activity_at = utcnow()
    set_keys(customer)
    if not confirm:
        found = duplicates(uow.session, principal, customer)
        if found["candidates"] or found["other_matches"]:
            raise Conflict("Possible duplicate customer; resend with confirm_duplicate=true to create it",
                           {"duplicates": [found]})
    uow.session.add(customer)
    uow.session.flush()
    recycle_due.refresh_due(uow.session, customer.id)
    history.record(uow.session, customer.id, "created", principal.user_id, status=status, stage=stage)
    return customer


def create(uow, principal: Principal, payload) -> dict:
    principal.require("customers.write")
    data = load_body(CustomerCreateIn(), payload)
    with uow:
        customer = new_customer(uow, principal, data, status="customer")
        uow.session.refresh(customer)
        return CustomerOut().dump(customer)


def get(uow, principal: Principal, customer_id) -> dict:
    """The customer with its sub-resources (CUS-02 detail)."""
    principal.require("customers.read")
    with uow:
        customer = find(uow.session, principal, customer_id, pool=True)
        out = CustomerDetailOut().dump(customer)
        out["key_members"] = [c for c in out["contacts"] if c["is_key_member"]]
        s = uow.session
        from crm_customers.subresources import dump_recent  # after-sales and interactions
        out.update(dump_recent(s, customer.id))
        rels = s.execute(select(Relation).where(or_(Relation.from_id == customer.id,
                                                    Relation.to_id == customer.id))).scalars().all()
        out["relations"] = RelationOut(many=True).dump(rels)
        out["history"] = history.list_rows(s, customer.id, 20)
        out["interaction_count"] = s.query(Interaction).filter_by(customer_id=customer.id).count()
        return out


def update(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require("customers.write")
    data = load_body(CustomerIn(), payload, partial=True)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True)
        if "custom" in data:
            data["custom"] = custom_fields.clean(uow.session, "customer", data["custom"], current=customer.custom)
        changed = {k: v for k, v in data.items() if getattr(customer, k) != v}
        for key, value in changed.items():
            setattr(customer, key, value)
        set_keys(customer)
        if changed:
            history.record(uow.session, customer.id, "updated", principal.user_id, fields=sorted(changed))
        if "value_level" in changed:
            recycle_due.refresh_due(uow.session, customer.id)
        uow.session.flush()
        uow.session.refresh(customer)
        return CustomerOut().dump(customer)


def list_(uow, principal: Principal, query) -> dict:
    principal.require("customers.read")
    plain, custom = customer_query.split_custom(query)
    q = load_query(CustomerListQuery(), plain)
    with uow:
        stmt = customer_query.apply_filters(uow.session, customer_query.visible(principal), q, custom)
        rows, cursor = customer_query.page(uow.session, stmt, q)
        return {"items": CustomerOut(many=True).dump(rows), "next_cursor": cursor}
