"""The recycle bin's reads (CUS-07): deleted customers in the caller's scope; merged ones never show."""
from sqlalchemy import select

from crm_common.errors import NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import is_uuid
from crm_common.validation import load_query
from crm_customers.customers.models import Customer
from crm_customers.customers.schemas import CustomerOut, SubListQuery

DELETE = "customers.delete"


def find_deleted(session, principal, customer_id, for_update=False) -> Customer:
    if not is_uuid(customer_id):
        raise NotFound("Customer not found")
    stmt = select(Customer).where(Customer.id == str(customer_id), scope_filter(principal, Customer),
                                  Customer.deleted_at.is_not(None), Customer.merged_into_id.is_(None))
    customer = session.execute(stmt.with_for_update() if for_update else stmt).scalar_one_or_none()
    if customer is None:
        raise NotFound("Customer not found in the recycle bin")
    return customer


def list_deleted(uow, principal: Principal, query) -> dict:
    principal.require(DELETE)
    q = load_query(SubListQuery(), query)
    stmt = select(Customer).where(scope_filter(principal, Customer), Customer.deleted_at.is_not(None),
                                  Customer.merged_into_id.is_(None))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Customer.id, q, {"created_at": Customer.created_at},
                                   "-created_at")
        return {"items": CustomerOut(many=True).dump(rows), "next_cursor": cursor}
