"""Reads of contacts: a customer's list, the check that a record names one of its contacts, and
who is behind a phone number (CUS-03, WSP-03)."""
import re

from sqlalchemy import func, or_, select

from crm_common.errors import InvalidInput
from crm_common.folding import json_list, rows
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.validation import load_query
from crm_customers.contacts.models import Contact
from crm_customers.contacts.schemas import ContactListQuery, ContactOut
from crm_customers.customers.models import Customer
from crm_customers.customers.queries import LIVE, READ, find
from crm_customers.customers.rules import phone_key

SORTS = {"created_at": Contact.created_at, "name": Contact.name}
_NOT_DIGITS = re.compile(r"\D")


def list_(uow, principal: Principal, customer_id, query) -> dict:
    principal.require(READ)
    q = load_query(ContactListQuery(), query)
    with uow:
        customer = find(uow.session, principal, customer_id)
        stmt = select(Contact).where(Contact.customer_id == customer.id, Contact.deleted_at.is_(None))
        if "name" in q:
            stmt = stmt.where(Contact.name.contains(q["name"], autoescape=True))
        rows, cursor = keyset_page(uow.session, stmt, Contact.id, q, SORTS, "created_at")
        return {"items": ContactOut.shared(many=True).dump(rows), "next_cursor": cursor}


def of_customer(customer=Customer):
    """The customer's live contacts, oldest first, for its detail view (a folding.json_list
    inside the statement that reads `customer`)."""
    return json_list(Contact, Contact.customer_id == customer.id, Contact.deleted_at.is_(None),
                     order_by=(Contact.created_at,), correlate=customer)


def dump_of_customer(raw) -> list[dict]:
    return ContactOut.shared(many=True).dump(rows(Contact, raw))


def check_contact(session, customer, contact_id) -> str | None:
    """The id of a live contact of this customer, or InvalidInput; None stays None."""
    if contact_id is None:
        return None
    contact = session.get(Contact, str(contact_id))
    if contact is None or contact.customer_id != customer.id or contact.deleted_at is not None:
        raise InvalidInput("contact_id must be a contact of this customer", {"contact_id": ["Unknown contact."]})
    return contact.id


def _digits(column):
    return func.regexp_replace(column, r"\D", "", "g")


def find_by_phone(uow, principal: Principal, phone: str) -> dict | None:
    """Who is behind a phone number, for the workspace's call log (WSP-03): {customer_id,
    customer_name, contact_id, contact_name} or None; a contact match wins. Scoped like every
    read: a number of a customer outside the caller's scope is no match. Numbers are compared as
    digits, with or without the 86 country code."""
    digits = _NOT_DIGITS.sub("", phone or "")
    if len(digits) < 3 or not principal.has(READ):
        return None
    forms = [digits, f"86{digits}"]
    visible_ = (scope_filter(principal, Customer, READ), *LIVE)
    with uow:
        contact = uow.session.execute(
            select(Contact.id, Contact.name, Customer.id.label("customer_id"), Customer.name.label("customer_name"))
            .join(Customer, Contact.customer_id == Customer.id)
            .where(*visible_, Contact.deleted_at.is_(None),
                   or_(_digits(Contact.mobile).in_(forms), _digits(Contact.phone).in_(forms)))
            .order_by(Contact.created_at).limit(1)).first()
        if contact:
            return {"customer_id": contact.customer_id, "customer_name": contact.customer_name,
                    "contact_id": contact.id, "contact_name": contact.name}
        customer = uow.session.execute(  # phone_key is the indexed, normalised number (rules)
            select(Customer.id, Customer.name).where(*visible_, Customer.phone_key == phone_key(phone))
            .order_by(Customer.created_at).limit(1)).first()
        if customer:
            return {"customer_id": customer.id, "customer_name": customer.name,
                    "contact_id": None, "contact_name": None}
        return None
