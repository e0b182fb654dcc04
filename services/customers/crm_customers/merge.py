"""Merge two customers (CUS-11): the source's records move to the target, the source is retired.

Both must be visible to the caller. Other services re-point their references on
`customers.customer_merged`.
"""
from sqlalchemy import and_, delete, select, update

from crm_common.errors import InvalidInput, NotFound
from crm_common.principal import Principal
from crm_common.records import utcnow
from crm_common.validation import load_body
from crm_customers import customers, history
from crm_customers.models import Contact, Relation
from crm_customers.recycle_bin import CHILDREN
from crm_customers.schemas import CustomerOut
from crm_customers.schemas_more import MergeIn


def merge(uow, principal: Principal, target_id, payload) -> dict:
    principal.require("customers.merge")
    source_id = str(load_body(MergeIn(), payload)["source_id"])
    if source_id == str(target_id):
        raise InvalidInput("Cannot merge a customer into itself", {"source_id": ["Same as the target."]})
    with uow:
        # lock both in id order so two opposite merges cannot deadlock
        found, missing = {}, {}
        for cid in sorted([str(target_id), source_id]):
            try:
                found[cid] = customers.find(uow.session, principal, cid, for_update=True)
            except NotFound as exc:
                missing[cid] = exc
        # The target decides the answer whatever the lock order, so a caller who sees neither gets
        # the same 404 every time (the authorization matrix, issue 7, caught it flipping to 422).
        if str(target_id) in missing:
            raise missing[str(target_id)]
        if missing:
            raise InvalidInput("Unknown source customer", {"source_id": ["Unknown customer."]})
        target, source = found[str(target_id)], found[source_id]
        s = uow.session
        s.execute(update(Contact).where(Contact.customer_id == source.id).values(customer_id=target.id))
        for model in CHILDREN:
            s.execute(update(model).where(model.customer_id == source.id).values(customer_id=target.id))
        # relations: re-point both ends, dropping the ones that would duplicate or self-link
        for end, other in ((Relation.from_id, Relation.to_id), (Relation.to_id, Relation.from_id)):
            dup = select(Relation.id).where(end == source.id, other == target.id)
            s.execute(delete(Relation).where(Relation.id.in_(dup)))
            for rel in s.execute(select(Relation).where(end == source.id)).scalars().all():
                moved = {"from_id": rel.from_id, "to_id": rel.to_id, end.key: target.id}
                clash = s.execute(select(Relation.id).where(and_(
                    Relation.from_id == moved["from_id"], Relation.to_id == moved["to_id"],
                    Relation.kind == rel.kind))).first()
                if clash:
                    s.delete(rel)
                else:
                    setattr(rel, end.key, target.id)
            s.flush()
        target.tags = sorted(set(target.tags or []) | set(source.tags or []))
        target.custom = {**(source.custom or {}), **(target.custom or {})}
        target.last_activity_at = max(target.last_activity_at, source.last_activity_at)
        source.deleted_at, source.merged_into_id = utcnow(), target.id
        history.record(s, target.id, "merged", principal.user_id, source_id=source.id, source_code=source.code)
        uow.emit("customers.customer_merged", {
            "source_id": source.id, "target_id": target.id, "merged_by": principal.user_id,
            "owner_id": target.owner_id, "department_path": target.department_path, "branch": target.branch})
        s.flush()
        return CustomerOut().dump(target)
