"""Records that hang off one customer and are visible exactly when it is (CUS-05, CUS-08).

One generic create/list pair serves service records, care records, expenses and important
dates; what differs per kind (schema, model, event) is a row in KINDS.
"""
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import select

from crm_common.api_contract import Contract
from crm_common.database import new_id
from crm_common.errors import InvalidInput
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import utcnow
from crm_common.validation import load_body, load_query
from crm_customers import customers, history
from crm_customers.aftersales_models import CareRecord, Expense, ImportantDate, ServiceRecord
from crm_customers.aftersales_schemas import CareRecordOut, ExpenseOut, ImportantDateOut, ServiceRecordOut
from crm_customers.models import Contact, Interaction
from crm_customers.schemas_more import (CareRecordIn, ExpenseIn, ImportantDateIn, InteractionIn, InteractionOut,
                                        ServiceRecordIn, SubListQuery)


@dataclass(frozen=True)
class Kind:
    model: type
    schema: type
    out: type
    has_author: bool = True
    after_create: Callable | None = None  # (uow, principal, customer, record)


def _expense_recorded(uow, principal, customer, expense):
    uow.emit("customers.expense_recorded", {
        "expense_id": expense.id, "customer_id": customer.id, "category": expense.category,
        "amount": expense.amount, "currency": expense.currency, "spent_on": expense.spent_on,
        "recorded_by": principal.user_id, "owner_id": customer.owner_id,
        "department_path": customer.department_path, "branch": customer.branch})


KINDS = {
    "service_records": Kind(ServiceRecord, ServiceRecordIn, ServiceRecordOut),
    "care_records": Kind(CareRecord, CareRecordIn, CareRecordOut),
    "expenses": Kind(Expense, ExpenseIn, ExpenseOut, after_create=_expense_recorded),
    "important_dates": Kind(ImportantDate, ImportantDateIn, ImportantDateOut, has_author=False),
}

# The gateway has one route per kind; each kind is described as a variant of the two RPCs.
CONTRACT_VARIANTS = {
    **{f"create_record:{kind}": Contract(body=spec.schema, returns=spec.out) for kind, spec in KINDS.items()},
    **{f"list_records:{kind}": Contract(query=SubListQuery, returns=spec.out, page=True) for kind, spec in KINDS.items()},
}


def check_contact(session, customer, contact_id) -> str | None:
    if contact_id is None:
        return None
    contact = session.get(Contact, str(contact_id))
    if contact is None or contact.customer_id != customer.id or contact.deleted_at is not None:
        raise InvalidInput("contact_id must be a contact of this customer", {"contact_id": ["Unknown contact."]})
    return contact.id


def create(uow, principal: Principal, kind: str, customer_id, payload) -> dict:
    principal.require("customers.write")
    spec = KINDS[kind]
    data = load_body(spec.schema(), payload)
    with uow:
        customer = customers.find(uow.session, principal, customer_id, for_update=True)
        if "contact_id" in data:
            data["contact_id"] = check_contact(uow.session, customer, data["contact_id"])
        extra = {"author_id": principal.user_id} if spec.has_author else {}
        record = spec.model(id=new_id(), customer_id=customer.id, created_at=utcnow(), **extra, **data)
        uow.session.add(record)
        uow.session.flush()
        if spec.after_create:
            spec.after_create(uow, principal, customer, record)
        history.record(uow.session, customer.id, f"{kind}_added", principal.user_id, id=record.id)
        return spec.out().dump(record)


def list_(uow, principal: Principal, kind: str, customer_id, query) -> dict:
    principal.require("customers.read")
    spec = KINDS[kind]
    model = spec.model
    q = load_query(SubListQuery(), query)
    with uow:
        customer = customers.find(uow.session, principal, customer_id, pool=True)
        stmt = select(model).where(model.customer_id == customer.id)
        rows, cursor = keyset_page(uow.session, stmt, model.id, q, {"created_at": model.created_at},
                                   "-created_at")
        return {"items": spec.out(many=True).dump(rows), "next_cursor": cursor}


def dump_recent(session, customer_id: str, limit: int = 20) -> dict:
    """The latest of each kind for the customer detail view."""
    out = {}
    for kind, spec in {**KINDS, "interactions": Kind(Interaction, InteractionIn, InteractionOut)}.items():
        rows = session.execute(select(spec.model).where(spec.model.customer_id == customer_id)
                               .order_by(spec.model.created_at.desc()).limit(limit)).scalars().all()
        out[kind] = spec.out(many=True).dump(rows)
    return out
