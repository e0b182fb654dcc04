"""Reads of contacts: one, a customer's list, all the caller may see, the check that a record
names one of its contacts, and who is behind a phone number (CUS-03, WSP-03)."""
import re

from sqlalchemy import func, or_, select

from crm_common.errors import InvalidInput, NotFound
from crm_common.folding import json_list, rows
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import is_uuid
from crm_common.validation import load_query
from crm_customers.contacts.models import Contact
from crm_customers.contacts.schemas import AllContactsQuery, ContactListQuery, ContactOut
from crm_customers.customers.models import Customer, Phone
from crm_customers.customers.queries import LIVE, READ, find, in_scope_or_team, find_parent
from crm_customers.customers.rules import phone_key

_NOT_DIGITS = re.compile(r"\D")
SORTS = {"created_at": Contact.created_at, "name": Contact.name}


def list_(uow, principal: Principal, customer_id, query) -> dict:
    principal.require(READ)
    q = load_query(ContactListQuery(), query)
    with uow:
        customer = find(uow.session, principal, customer_id)
        stmt = listed(customer.id)
        if "name" in q:
            stmt = stmt.where(Contact.name.contains(q["name"], autoescape=True))
        rows, cursor = keyset_page(uow.session, stmt, Contact.id, q, SORTS, "created_at")
        return {"items": ContactOut.shared(many=True).dump(rows), "next_cursor": cursor}


def listed(customer_id: str):
    """The customer's contacts, as its list pages through them (and its tab counts them)."""
    return select(Contact).where(Contact.customer_id == customer_id, Contact.deleted_at.is_(None))


def get(uow, principal: Principal, contact_id) -> dict:
    """A contact is visible exactly when its customer is; out of scope answers like missing."""
    principal.require(READ)
    if not is_uuid(contact_id):
        raise NotFound("Contact not found")
    with uow:
        contact = uow.session.get(Contact, str(contact_id))
        if contact is None or contact.deleted_at is not None:
            raise NotFound("Contact not found")
        customer = find_parent(uow.session, principal, contact.customer_id, "Contact")
        return {**ContactOut().dump(contact), "customer_name": customer.name}


def list_all(uow, principal: Principal, query) -> dict:
    """Every contact of the customers the caller may see (通讯录), with filters."""
    principal.require(READ)
    q = load_query(AllContactsQuery(), query)
    with uow:
        stmt = (select(Contact).join(Customer, Contact.customer_id == Customer.id)
                .where(in_scope_or_team(principal), *LIVE, Contact.deleted_at.is_(None)))
        if "name" in q:
            stmt = stmt.where(Contact.name.contains(q["name"], autoescape=True))
        if "customer_id" in q:
            stmt = stmt.where(Contact.customer_id == str(q["customer_id"]))
        if "phone" in q:
            digits = _NOT_DIGITS.sub("", q["phone"])
            stmt = stmt.where(or_(_comparable(Contact.mobile).contains(digits), _comparable(Contact.phone).contains(digits)))
        if "is_key_member" in q:
            stmt = stmt.where(Contact.is_key_member.is_(q["is_key_member"]))
        if "decision_role" in q:
            stmt = stmt.where(Contact.decision_role == q["decision_role"])
        rows, cursor = keyset_page(uow.session, stmt, Contact.id, q, SORTS, "created_at")
        names = dict(uow.session.execute(select(Customer.id, Customer.name).where(
            Customer.id.in_({row.customer_id for row in rows}))).all()) if rows else {}
        return {"items": [{**ContactOut().dump(row), "customer_name": names[row.customer_id]} for row in rows],
                "next_cursor": cursor}


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


def find_by_phone(uow, principal: Principal, phone: str) -> dict | None:
    """Who is behind a phone number, for the workspace's call log (WSP-03): {customer_id,
    customer_name, contact_id, contact_name} or None; a contact match wins. Scoped like every
    read: a number of a customer outside the caller's scope is no match. Numbers are compared in
    their comparable form (crm_common.phones: +86, spaces, dashes and extensions dropped), against
    a contact's mobile and phone, and every number of a customer or contact."""
    number = phone_key(phone)
    if number is None or not principal.has(READ):
        return None
    visible_ = (in_scope_or_team(principal), *LIVE)
    listed = select(Phone.contact_id).where(Phone.number == number, Phone.contact_id.is_not(None))
    with uow:
        contact = uow.session.execute(
            select(Contact.id, Contact.name, Customer.id.label("customer_id"), Customer.name.label("customer_name"))
            .join(Customer, Contact.customer_id == Customer.id)
            .where(*visible_, Contact.deleted_at.is_(None),
                   or_(_comparable(Contact.mobile) == number, _comparable(Contact.phone) == number,
                       Contact.id.in_(listed)))
            .order_by(Contact.created_at).limit(1)).first()
        if contact:
            return {"customer_id": contact.customer_id, "customer_name": contact.customer_name,
                    "contact_id": contact.id, "contact_name": contact.name}
        customer = uow.session.execute(  # phone_key and the phones' numbers are indexed comparable forms
            select(Customer.id, Customer.name).where(*visible_, or_(
                Customer.phone_key == number,
                Customer.id.in_(select(Phone.customer_id).where(Phone.number == number))))
            .order_by(Customer.created_at).limit(1)).first()
        if customer:
            return {"customer_id": customer.id, "customer_name": customer.name,
                    "contact_id": None, "contact_name": None}
        return None


def _comparable(column):
    """A contact's single mobile or phone in the comparable form, in SQL: its digits without the
    86 country code of a mobile and with the trunk 0 of a landline typed as +86 571 ...."""
    digits = func.regexp_replace(func.regexp_replace(column, r"^\s*(\+|00)86", ""), r"\D", "", "g")
    return func.regexp_replace(digits, r"^([2-9]\d{8,10})$", r"0\1")
