"""Typed relations between customers (CUS-04): both ends must be visible to the caller."""
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import is_uuid, utcnow
from crm_common.validation import load_body, load_query
from crm_customers import customers, history
from crm_customers.aftersales_schemas import RelationOut
from crm_customers.models import Relation
from crm_customers.schemas_more import RelationIn, SubListQuery


def create(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require("customers.write")
    data = load_body(RelationIn(), payload)
    try:
        with uow:
            source = customers.find(uow.session, principal, customer_id)
            try:
                target = customers.find(uow.session, principal, data["to_id"])
            except NotFound:
                raise InvalidInput("Unknown customer", {"to_id": ["Unknown customer."]}) from None
            if target.id == source.id:
                raise InvalidInput("A customer cannot relate to itself", {"to_id": ["Same customer."]})
            relation = Relation(id=new_id(), from_id=source.id, to_id=target.id, kind=data["kind"],
                                notes=data.get("notes"), created_at=utcnow())
            uow.session.add(relation)
            uow.session.flush()
            history.record(uow.session, source.id, "relation_added", principal.user_id, to_id=target.id,
                           kind=relation.kind)
            return RelationOut().dump(relation)
    except IntegrityError:
        raise Conflict("This relation exists already") from None


def list_(uow, principal: Principal, customer_id, query) -> dict:
    principal.require("customers.read")
    q = load_query(SubListQuery(), query)
    with uow:
        customer = customers.find(uow.session, principal, customer_id, pool=True)
        stmt = select(Relation).where(or_(Relation.from_id == customer.id, Relation.to_id == customer.id))
        rows, cursor = keyset_page(uow.session, stmt, Relation.id, q, {"created_at": Relation.created_at},
                                   "-created_at")
        return {"items": RelationOut(many=True).dump(rows), "next_cursor": cursor}


def remove(uow, principal: Principal, relation_id) -> None:
    principal.require("customers.write")
    with uow:
        relation = uow.session.get(Relation, str(relation_id)) if is_uuid(relation_id) else None
        if relation is None:
            raise NotFound("Relation not found")
        customers.find(uow.session, principal, relation.from_id)
        uow.session.execute(delete(Relation).where(Relation.id == relation.id))
