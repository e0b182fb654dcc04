"""Reads of field-service orders: office and head office by data scope, providers their own."""
from sqlalchemy import or_, select

from crm_common.errors import Forbidden, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import is_uuid, utcnow
from crm_common.validation import load_query
from crm_logistics.field_service import rules, schemas
from crm_logistics.field_service.models import FieldServiceOrder as FSO

SORTS = {"created_at": FSO.created_at, "number": FSO.number}


def _visible(principal: Principal):
    """Office and head office see by data scope; a provider sees what was dispatched to them."""
    conditions = []
    if principal.has("field_service.read"):
        conditions.append(scope_filter(principal, FSO))
    if principal.has(rules.PROVIDER) and principal.user_id:
        conditions.append(FSO.provider_id == principal.user_id)
    if not conditions:
        raise Forbidden("Missing permission field_service.read")
    return or_(*conditions)


def present(order: FSO) -> dict:
    order.feedback_overdue = order.status == rules.SERVICED and rules.is_late(order.feedback_due_at, utcnow())
    return schemas.FieldServiceOut().dump(order)


def get(uow, principal: Principal, order_id) -> dict:
    with uow:
        order = None
        if is_uuid(order_id):
            order = uow.session.execute(select(FSO).where(FSO.id == str(order_id), _visible(principal))) \
                .scalar_one_or_none()
        if order is None:
            raise NotFound("FieldServiceOrder not found")
        return present(order)


def list_(uow, principal: Principal, query) -> dict:
    stmt = select(FSO).where(_visible(principal))
    q = load_query(schemas.FieldServiceListQuery(), query)
    if "status" in q:
        stmt = stmt.where(FSO.status == q["status"])
    if q.get("assigned_to") == "me":
        stmt = stmt.where(FSO.provider_id == principal.user_id)
    if q.get("feedback_overdue"):
        stmt = stmt.where(FSO.status == rules.SERVICED, FSO.feedback_due_at < utcnow())
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, FSO.id, q, SORTS, "-created_at")
        return {"items": [present(row) for row in rows], "next_cursor": cursor}
