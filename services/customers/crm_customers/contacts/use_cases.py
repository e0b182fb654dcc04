"""Use cases for contacts (CUS-03). A contact is visible exactly when its customer is."""
from sqlalchemy import update as update_

from crm_common.database import new_id
from crm_common.errors import InvalidInput, NotFound
from crm_common.principal import Principal
from crm_common.records import is_uuid, utcnow
from crm_common.validation import load_body
from crm_customers.contacts.models import Contact
from crm_customers.contacts.schemas import ContactIn, ContactOut
from crm_customers.customers.queries import WRITE, find, find_parent
from crm_customers.customers.use_cases import record_history, write_phones
from crm_customers.fields.queries import clean


def _check_boss(session, customer, data, contact_id=None) -> None:
    """reports_to must be a live contact of the same customer and must not make a cycle."""
    if data.get("reports_to_id") is None:
        return
    data["reports_to_id"] = boss_id = str(data["reports_to_id"])
    seen = {contact_id}
    while boss_id is not None:
        boss = session.get(Contact, boss_id)
        if boss is None or boss.customer_id != customer.id or boss.deleted_at is not None or boss_id in seen:
            raise InvalidInput("reports_to_id must be another contact of the same customer, without cycles",
                               {"reports_to_id": ["Unknown contact for this customer, or a cycle."]})
        seen.add(boss_id)
        boss_id = boss.reports_to_id


def create(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require(WRITE)
    data = load_body(ContactIn(), payload)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True)
        _check_boss(uow.session, customer, data)
        data["custom"] = clean(uow.session, "contact", data.get("custom"))
        phones = data.pop("phones", [])
        contact = Contact(id=new_id(), customer_id=customer.id, **data)
        uow.session.add(contact)
        uow.session.flush()
        write_phones(uow.session, customer.id, contact.id, phones)
        uow.session.flush()
        uow.session.refresh(contact)
        record_history(uow.session, customer.id, "contact_added", principal.user_id, id=contact.id, name=contact.name)
        return ContactOut().dump(contact)


def _locked(session, principal: Principal, contact_id) -> tuple[Contact, object]:
    """(the live contact, its customer) for a change; out of scope answers like missing."""
    if not is_uuid(contact_id):
        raise NotFound("Contact not found")
    contact = session.get(Contact, str(contact_id), with_for_update=True)
    if contact is None or contact.deleted_at is not None:
        raise NotFound("Contact not found")
    return contact, find_parent(session, principal, contact.customer_id, "Contact", for_update=True)


def update(uow, principal: Principal, contact_id, payload) -> dict:
    principal.require(WRITE)
    data = load_body(ContactIn(), payload, partial=True)
    with uow:
        contact, customer = _locked(uow.session, principal, contact_id)
        _check_boss(uow.session, customer, data, contact.id)
        if data.get("custom") is not None or "custom" in payload:
            data["custom"] = clean(uow.session, "contact", data.get("custom"), current=contact.custom)
        else:
            data.pop("custom", None)
        phones = data.pop("phones", None)
        changed = sorted(k for k, v in data.items() if getattr(contact, k) != v)
        for key in changed:
            setattr(contact, key, data[key])
        if phones is not None:
            write_phones(uow.session, customer.id, contact.id, phones)
            changed.append("phones")
        uow.session.flush()
        uow.session.refresh(contact)
        if changed:
            record_history(uow.session, customer.id, "contact_updated", principal.user_id, id=contact.id,
                           fields=changed)
        return ContactOut().dump(contact)


def delete(uow, principal: Principal, contact_id) -> None:
    """Soft delete: records that name the contact keep their history; whoever reported to it
    reports to nobody now."""
    principal.require(WRITE)
    with uow:
        contact, customer = _locked(uow.session, principal, contact_id)
        contact.deleted_at = utcnow()
        uow.session.execute(update_(Contact).where(Contact.reports_to_id == contact.id).values(reports_to_id=None))
        record_history(uow.session, customer.id, "contact_removed", principal.user_id, id=contact.id, name=contact.name)
