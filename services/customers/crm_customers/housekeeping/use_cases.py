"""The recycle bin (CUS-07: soft delete, restore, purge) and merging two customers (CUS-11):
the use cases that act on a customer with every record hanging off it.

A merge moves the source's records to the target and retires the source; both must be visible
to the caller. Other services re-point their references on `customers.customer_merged`.
"""
from sqlalchemy import and_, delete, select, update

from crm_common import department_moves
from crm_common.errors import InvalidInput, NotFound
from crm_common.principal import Principal
from crm_common.records import utcnow
from crm_common.validation import NoInput, load_body
from crm_customers.aftersales.models import CareRecord, Complaint, Expense, ImportantDate, ServiceRecord
from crm_customers.contacts.models import Contact
from crm_customers.customers.models import Customer, History, Phone
from crm_customers.customers.queries import find
from crm_customers.customers.schemas import CustomerOut
from crm_customers.customers.use_cases import record_history
from crm_customers.housekeeping.queries import DELETE, find_deleted
from crm_customers.db import Base
from crm_customers.housekeeping.schemas import DepartmentMoveIn, DepartmentMoveOut, MergeIn, PurgeOut
from crm_customers.interactions.models import Interaction
from crm_customers.pool.models import ExtensionRequest
from crm_customers.relations.models import Relation

# Every record that belongs to one customer (contacts and relations have rules of their own).
CHILDREN = (Interaction, ServiceRecord, CareRecord, Expense, ImportantDate, Complaint, ExtensionRequest, History,
            Phone)
# kept in step with customers by a trigger (rewriting it as well would count twice)
TRIGGER_KEPT = ("customer_month_counts",)


def delete_(uow, principal: Principal, customer_id) -> None:
    principal.require(DELETE)
    with uow:
        customer = find(uow.session, principal, customer_id, for_update=True)
        customer.deleted_at = utcnow()
        record_history(uow.session, customer.id, "deleted", principal.user_id)


def restore(uow, principal: Principal, customer_id, payload) -> dict:
    principal.require(DELETE)
    load_body(NoInput(), payload)
    with uow:
        customer = find_deleted(uow.session, principal, customer_id, for_update=True)
        customer.deleted_at = None
        record_history(uow.session, customer.id, "restored", principal.user_id)
        uow.session.flush()
        return CustomerOut().dump(customer)


def purge(uow, principal: Principal, customer_id, payload) -> dict:
    """Gone for good: only from the recycle bin, with every record hanging off the customer."""
    principal.require("customers.admin")
    load_body(NoInput(), payload)
    with uow:
        customer = find_deleted(uow.session, principal, customer_id, for_update=True)
        if uow.session.execute(select(Customer.id).where(Customer.merged_into_id == customer.id)).first():
            uow.session.execute(update(Customer).where(Customer.merged_into_id == customer.id)
                                .values(merged_into_id=None))
        for model in CHILDREN:
            uow.session.execute(delete(model).where(model.customer_id == customer.id))
        uow.session.execute(delete(Relation).where((Relation.from_id == customer.id) | (Relation.to_id == customer.id)))
        uow.session.execute(update(Contact).where(Contact.customer_id == customer.id).values(reports_to_id=None))
        uow.session.execute(delete(Contact).where(Contact.customer_id == customer.id))
        uow.session.delete(customer)
        return PurgeOut().dump({"id": customer.id, "purged": True})


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
                found[cid] = find(uow.session, principal, cid, for_update=True)
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
        record_history(s, target.id, "merged", principal.user_id, source_id=source.id, source_code=source.code)
        uow.emit("customers.customer_merged", {
            "source_id": source.id, "target_id": target.id, "merged_by": principal.user_id,
            "owner_id": target.owner_id, "department_path": target.department_path, "branch": target.branch})
        s.flush()
        return CustomerOut().dump(target)


def move_department(uow, principal: Principal, payload) -> dict:
    """The gateway moved a department (it owns the tree and asks before it commits): rewrite the
    paths of this service's records and tell the other services, in one transaction."""
    principal.require("admin.departments")
    data = load_body(DepartmentMoveIn(), payload)
    from_path, to_path = data["from_path"], data["to_path"]
    if to_path != from_path and department_moves.is_under(to_path, from_path):
        raise InvalidInput("A department cannot move under itself or its descendants",
                           {"parent_id": ["Inside the department being moved."]})
    if principal.scope != "all" and data["branch"] != principal.branch:
        raise InvalidInput("Cannot move a department of another branch", {"parent_id": ["Outside your branch."]})
    with uow:
        rewritten = department_moves.rewrite_paths(uow.session, Base.metadata, from_path, to_path,
                                                   skip=TRIGGER_KEPT)
        uow.emit("customers.department_moved", {
            "department_id": str(data["department_id"]), "parent_id": str(data["parent_id"]),
            "from_path": from_path, "to_path": to_path, "branch": data["branch"], "moved_by": principal.user_id})
        return DepartmentMoveOut().dump({"department_id": str(data["department_id"]), "from_path": from_path,
                                         "to_path": to_path, "customers": rewritten})
