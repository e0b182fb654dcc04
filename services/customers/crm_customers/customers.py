"""Use cases for customer records (CUS-01, CUS-02 core)."""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, ownership_of, utcnow
from crm_common.validation import load_body, load_query
from crm_customers.models import Customer
from crm_customers.schemas import CustomerDetailOut, CustomerIn, CustomerListQuery, CustomerOut

SORTS = {"created_at": Customer.created_at, "name": Customer.name, "code": Customer.code,
         "updated_at": Customer.updated_at}
NOT_DELETED = (Customer.deleted_at.is_(None),)
READ = "customers.read"


def find(session, principal: Principal, customer_id, permission: str, for_update=False) -> Customer:
    """The customer if the caller's scope for `permission` covers it (403 if they can only read it)."""
    return get_in_scope(session, Customer, customer_id, principal, for_update=for_update, extra=NOT_DELETED,
                        permission=permission, read_permission=READ)


def create(uow, principal: Principal, payload) -> dict:
    principal.require("customers.write")
    data = load_body(CustomerIn(), payload)
    with uow:
        customer = Customer(id=new_id(), code=uow.next_number(f"C-{principal.branch}"),
                            status="customer", **ownership_of(principal), **data)
        uow.session.add(customer)
        uow.session.flush()
        return CustomerOut().dump(customer)


def get(uow, principal: Principal, customer_id) -> dict:
    principal.require("customers.read")
    with uow:
        customer = find(uow.session, principal, customer_id, READ)
        return CustomerDetailOut().dump(customer)


def update(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require("customers.write")
    data = load_body(CustomerIn(), payload, partial=True)
    with uow:
        customer = find(uow.session, principal, customer_id, "customers.write", for_update=True)
        for key, value in data.items():
            setattr(customer, key, value)
        uow.session.flush()
        return CustomerOut().dump(customer)


def delete(uow, principal: Principal, customer_id) -> None:
    """Soft delete: the record goes to the recycle bin (restore/purge come with CUS-07)."""
    principal.require("customers.delete")
    with uow:
        find(uow.session, principal, customer_id, "customers.delete", for_update=True).deleted_at = utcnow()


def list_(uow, principal: Principal, query) -> dict:
    principal.require("customers.read")
    q = load_query(CustomerListQuery(), query)
    stmt = select(Customer).where(scope_filter(principal, Customer, READ), *NOT_DELETED)
    if "name" in q:
        stmt = stmt.where(Customer.name.contains(q["name"], autoescape=True))
    for field in ("code", "industry", "status"):
        if field in q:
            stmt = stmt.where(getattr(Customer, field) == q[field])
    if "owner_id" in q:
        stmt = stmt.where(Customer.owner_id == str(q["owner_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Customer.id, q, SORTS, "-created_at")
        return {"items": CustomerOut(many=True).dump(rows), "next_cursor": cursor}
