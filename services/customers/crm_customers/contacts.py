"""Use cases for contacts (CUS-03 core). A contact is visible exactly when its customer is."""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import InvalidInput
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.validation import load_body, load_query
from crm_customers import custom_fields, customers, history
from crm_customers.models import Contact
from crm_customers.schemas import ContactIn, ContactListQuery, ContactOut

SORTS = {"created_at": Contact.created_at, "name": Contact.name}


def create(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require("customers.write")
    data = load_body(ContactIn(), payload)
    with uow:
        customer = customers.find(uow.session, principal, customer_id)
        if data.get("reports_to_id") is not None:
            data["reports_to_id"] = str(data["reports_to_id"])
            boss = uow.session.get(Contact, data["reports_to_id"])
            if boss is None or boss.customer_id != customer.id or boss.deleted_at is not None:
                raise InvalidInput("reports_to_id must be a contact of the same customer",
                                   {"reports_to_id": ["Unknown contact for this customer."]})
        data["custom"] = custom_fields.clean(uow.session, "contact", data.get("custom"))
        contact = Contact(id=new_id(), customer_id=customer.id, **data)
        uow.session.add(contact)
        uow.session.flush()
        history.record(uow.session, customer.id, "contact_added", principal.user_id, id=contact.id, name=contact.name)
        return ContactOut().dump(contact)


def list_(uow, principal: Principal, customer_id, query) -> dict:
    principal.require("customers.read")
    q = load_query(ContactListQuery(), query)
    with uow:
        customer = customers.find(uow.session, principal, customer_id)
        stmt = select(Contact).where(Contact.customer_id == customer.id, Contact.deleted_at.is_(None))
        if "name" in q:
            stmt = stmt.where(Contact.name.contains(q["name"], autoescape=True))
        rows, cursor = keyset_page(uow.session, stmt, Contact.id, q, SORTS, "created_at")
        return {"items": ContactOut(many=True).dump(rows), "next_cursor": cursor}
