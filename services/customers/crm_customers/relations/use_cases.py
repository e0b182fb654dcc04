"""Typed relations between customers (CUS-04): both ends must be visible to the caller."""
from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_common.principal import Principal
from crm_common.records import is_uuid, utcnow
from crm_common.validation import load_body
from crm_customers.customers.queries import WRITE, find, find_parent
from crm_customers.customers.use_cases import record_history
from crm_customers.relations.models import Relation
from crm_customers.relations.schemas import RelationIn, RelationOut, RelationUpdate


def create(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require(WRITE)
    data = load_body(RelationIn(), payload)
    try:
        with uow:
            source = find(uow.session, principal, customer_id)
            try:
                target = find(uow.session, principal, data["to_id"])
            except NotFound:
                raise InvalidInput("Unknown customer", {"to_id": ["Unknown customer."]}) from None
            if target.id == source.id:
                raise InvalidInput("A customer cannot relate to itself", {"to_id": ["Same customer."]})
            relation = Relation(id=new_id(), from_id=source.id, to_id=target.id, kind=data["kind"],
                                notes=data.get("notes"), created_at=utcnow())
            uow.session.add(relation)
            uow.session.flush()
            record_history(uow.session, source.id, "relation_added", principal.user_id, to_id=target.id,
                           kind=relation.kind)
            return RelationOut().dump(relation)
    except IntegrityError:
        raise Conflict("This relation exists already") from None


def _found(session, principal: Principal, relation_id, for_update=False) -> Relation:
    """Visible when its first customer is; out of scope answers like missing."""
    relation = session.get(Relation, str(relation_id), with_for_update=for_update) if is_uuid(relation_id) else None
    if relation is None:
        raise NotFound("Relation not found")
    find_parent(session, principal, relation.from_id, "Relation", for_update=for_update)
    return relation


def update(uow, principal: Principal, relation_id, payload) -> dict:
    """Kind and notes; the two customers are what the relation is, so another pair is another one."""
    principal.require(WRITE)
    data = load_body(RelationUpdate(), payload, partial=True)
    try:
        with uow:
            relation = _found(uow.session, principal, relation_id, for_update=True)
            changed = sorted(k for k, v in data.items() if getattr(relation, k) != v)
            for key in changed:
                setattr(relation, key, data[key])
            uow.session.flush()
            if changed:
                record_history(uow.session, relation.from_id, "relation_updated", principal.user_id,
                               id=relation.id, fields=changed)
            return RelationOut().dump(relation)
    except IntegrityError:
        raise Conflict("This relation exists already") from None


def remove(uow, principal: Principal, relation_id) -> None:
    principal.require(WRITE)
    with uow:
        relation = _found(uow.session, principal, relation_id, for_update=True)
        uow.session.execute(delete(Relation).where(Relation.id == relation.id))
