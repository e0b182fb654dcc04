"""Recycle bin (CUS-07): soft delete, list deleted, restore, purge."""
from sqlalchemy import delete, select, update

from crm_common.errors import Conflict, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import is_uuid, utcnow
from crm_common.validation import NoInput, load_body, load_query
from crm_customers import customers, history
from crm_customers.aftersales_models import CareRecord, Complaint, Expense, ImportantDate, ServiceRecord
from crm_customers.models import Contact, Customer, History, Interaction, Relation
from crm_customers.pool_models import ExtensionRequest
from crm_customers.schemas import CustomerOut, PurgeOut
from crm_customers.schemas_more import SubListQuery

CHILDREN = (Interaction, ServiceRecord, CareRecord, Expense, ImportantDate, Complaint, ExtensionRequest, History)


def delete_(uow, principal: Principal, customer_id) -> None:
    principal.require("customers.delete")
    with uow:
        customer = customers.find(uow.session, principal, customer_id, for_update=True)
        customer.deleted_at = utcnow()
        history.record(uow.session, customer.id, "deleted", principal.user_id)


def _deleted(session, principal, customer_id, for_update=False) -> Customer:
    if not is_uuid(customer_id):
        raise NotFound("Customer not found")
    stmt = select(Customer).where(Customer.id == str(customer_id), scope_filter(principal, Customer),
                                  Customer.deleted_at.is_not(None), Customer.merged_into_id.is_(None))
    customer = session.execute(stmt.with_for_update() if for_update else stmt).scalar_one_or_none()
    if customer is None:
        raise NotFound("Customer not found in the recycle bin")
    return customer


def list_deleted(uow, principal: Principal, query) -> dict:
    principal.require("customers.delete")
    q = load_query(SubListQuery(), query)
    stmt = select(Customer).where(scope_filter(principal, Customer), Customer.deleted_at.is_not(None),
                                  Customer.merged_into_id.is_(None))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Customer.id, q, {"created_at": Customer.created_at},
                                   "-created_at")
        return {"items": CustomerOut(many=True).dump(rows), "next_cursor": cursor}


def restore(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require("customers.delete")
    load_body(NoInput(), payload)
    with uow:
        customer = _deleted(uow.session, principal, customer_id, for_update=True)
        customer.deleted_at = None
        history.record(uow.session, customer.id, "restored", principal.user_id)
        uow.session.flush()
        return CustomerOut().dump(customer)


def purge(uow, principal: Principal, customer_id, payload) -> dict:
    """Gone for good: only from the recycle bin, with every record hanging off the customer."""
    principal.require("customers.admin")
    load_body(NoInput(), payload)
    with uow:
        customer = _deleted(uow.session, principal, customer_id, for_update=True)
        if uow.session.execute(select(Customer.id).where(Customer.merged_into_id == customer.id)).first():
            uow.session.execute(update(Customer).where(Customer.merged_into_id == customer.id)
                                .values(merged_into_id=None))
        for model in CHILDREN:
            uow.session.execute(delete(model).where(model.customer_id == customer.id))
        uow.session.execute(delete(Relation).where((Relation.from_id == customer.id) | (Relation.to_id == customer.id)))
        uow.session.execute(update(Contact).where(Contact.customer_id == customer.id).values(reports_to_id=None))
        uow.session.execute(delete(Contact).where(Contact.customer_id == customer.id))
        uow.session.delete(customer)
        return PurgeOut().dump({"id": customer.id, "purged": True})


def ensure_not_deleted(customer: Customer) -> None:
    if customer.deleted_at is not None:
        raise Conflict("The customer is in the recycle bin")
