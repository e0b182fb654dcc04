from sqlalchemy import or_, select

from crm_common.folding import json_list, rows
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_customers.customers.models import Customer
from crm_customers.customers.queries import READ, find
from crm_customers.customers.schemas import SubListQuery
from crm_customers.relations.models import Relation
from crm_customers.relations.schemas import RelationOut


def listed(customer_id: str):
    return select(Relation).where(or_(Relation.from_id == customer_id, Relation.to_id == customer_id))


def list_(uow, principal: Principal, customer_id, query) -> dict:
    principal.require(READ)
    q = load_query(SubListQuery(), query)
    with uow:
        customer = find(uow.session, principal, customer_id, pool=True)
        rows, cursor = keyset_page(uow.session, listed(customer.id), Relation.id, q,
                                   {"created_at": Relation.created_at}, "-created_at")
        return {"items": RelationOut.shared(many=True).dump(rows), "next_cursor": cursor}


def of_customer(customer=Customer):
    """Every relation with the customer at either end, for its detail view (a
    folding.json_list inside the statement that reads `customer`)."""
    return json_list(Relation, or_(Relation.from_id == customer.id, Relation.to_id == customer.id),
                     correlate=customer)


def dump_of_customer(raw) -> list[dict]:
    return RelationOut.shared(many=True).dump(rows(Relation, raw))
