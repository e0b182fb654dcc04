"""Read-only lookup of the customer and contact behind a phone number (for the workspace's call
log, WSP-03). Scoped like every read: a number of a customer outside the caller's scope is no
match. Numbers are compared as digits, with or without the 86 country code."""
import re

from sqlalchemy import func, or_, select

from crm_common.principal import Principal, scope_filter
from crm_customers import customer_query
from crm_customers.dedup_rules import phone_key
from crm_customers.models import Contact, Customer

_NOT_DIGITS = re.compile(r"\D")


def _digits(column):
    return func.regexp_replace(column, r"\D", "", "g")


def find_by_phone(uow, principal: Principal, phone: str) -> dict | None:
    """{customer_id, customer_name, contact_id, contact_name} or None; a contact match wins."""
    digits = _NOT_DIGITS.sub("", phone or "")
    if len(digits) < 3 or not principal.has("customers.read"):
        return None
    forms = [digits, f"86{digits}"]
    visible = (scope_filter(principal, Customer, "customers.read"), *customer_query.LIVE)
    with uow:
        contact = uow.session.execute(
            select(Contact.id, Contact.name, Customer.id.label("customer_id"), Customer.name.label("customer_name"))
            .join(Customer, Contact.customer_id == Customer.id)
            .where(*visible, Contact.deleted_at.is_(None),
                   or_(_digits(Contact.mobile).in_(forms), _digits(Contact.phone).in_(forms)))
            .order_by(Contact.created_at).limit(1)).first()
        if contact:
            return {"customer_id": contact.customer_id, "customer_name": contact.customer_name,
                    "contact_id": contact.id, "contact_name": contact.name}
        customer = uow.session.execute(  # phone_key is the indexed, normalised number (dedup_rules)
            select(Customer.id, Customer.name).where(*visible, Customer.phone_key == phone_key(phone))
            .order_by(Customer.created_at).limit(1)).first()
        if customer:
            return {"customer_id": customer.id, "customer_name": customer.name,
                    "contact_id": None, "contact_name": None}
        return None
