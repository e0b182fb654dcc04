"""Use cases for field-service orders (LOG-04); the workflow itself is in rules.

Who may do what:
- the office (`field_service.write`, data scope as usual): repair call, dispatch, confirmation,
  progress, audit of the feedback, fee statement;
- service providers (`field_service.provider`): see only the orders dispatched to them and give
  the feedback; any other order does not exist for them (404);
- head office (`field_service.settle`): audits the fee statement and settles it, which emits
  `logistics.field_service_settled` for finance to pay (FIN-07).
"""
from datetime import datetime

from sqlalchemy import and_, or_, select

from crm_common.database import new_id
from crm_common.errors import NotFound
from crm_common.principal import Principal, scope_filter
from crm_common.records import is_uuid, ownership_of, utcnow
from crm_common.validation import load_body
from crm_logistics.field_service import events, rules, schemas
from crm_logistics.field_service.models import FieldServiceOrder as FSO
from crm_logistics.field_service.queries import present


def create(uow, principal: Principal, payload) -> dict:
    """A repair call taken by the call centre or the office becomes a new order."""
    principal.require(rules.OFFICE)
    data = load_body(schemas.RepairCallIn(), payload)
    with uow:
        order = FSO(id=new_id(), status=rules.NEW, number=None, **rules.jsonable(data), **ownership_of(principal),
                    history=[_step("create", principal)])
        order.number = uow.document_number("field_service_order", principal.branch)
        uow.session.add(order)
        uow.session.flush()
        return present(order)


def _step(action: str, principal: Principal, **extra) -> dict:
    return {"action": action, "by": principal.user_id, "at": utcnow().isoformat(), **rules.jsonable(extra)}


def _load_for(uow, principal: Principal, order_id, actor: str) -> FSO:
    """Acting needs more than seeing: providers act only on their own orders, others by scope."""
    condition = FSO.provider_id == principal.user_id if actor == "provider" else scope_filter(principal, FSO)
    order = None
    if is_uuid(order_id):
        order = uow.session.execute(select(FSO).where(FSO.id == str(order_id), and_(condition))
                                    .with_for_update()).scalar_one_or_none()
    if order is None:
        raise NotFound("FieldServiceOrder not found")
    return order


def step(uow, principal: Principal, order_id, action: str, payload=None) -> dict:
    _, actor = rules.ACTIONS[action]
    principal.require(rules.ACTOR_PERMISSION[actor])
    data = load_body(schemas.STEP_SCHEMAS[action](), payload or {}) if action in schemas.STEP_SCHEMAS else {}
    with uow:
        order = _load_for(uow, principal, order_id, actor)
        order.status = rules.FIELD_SERVICE.next_status(order.status, action)
        APPLY[action](uow, order, data)
        order.history = [*order.history, _step(action, principal, **({"approved": data["approved"]}
                                                                       if "approved" in data else {}))]
        uow.session.flush()
        return present(order)


def _dispatch(uow, order, data):
    order.provider_id, order.provider_name = str(data["provider_id"]), data["provider_name"]
    order.dispatched_at = utcnow()
    uow.emit("logistics.field_service_dispatched", events.field_service_dispatched(order))


def _confirm(uow, order, data):
    order.technician_name, order.technician_phone = data["technician_name"], data["technician_phone"]


def _progress(uow, order, data):
    for key in ("arrived_at", "fixed_at", "anomalies"):
        if key in data:
            setattr(order, key, data[key])
    order.status = rules.status_after_progress(order.fixed_at)
    if order.fixed_at:
        order.feedback_due_at = rules.feedback_due(order.fixed_at)


def _feedback(uow, order, data):
    now = utcnow()
    order.feedback, order.feedback_at = rules.jsonable(data), now
    order.feedback_late = rules.is_late(order.feedback_due_at, now)


def _audit(uow, order, data):
    order.audit_comment = data.get("comment")
    order.status = rules.status_after_audit("audit", data["approved"])


def _fee(uow, order, data):
    order.fee_items = rules.jsonable(data["items"])
    order.fee_total, order.fee_currency = rules.fee_total(data["items"]), data["currency"]


def _hq_audit(uow, order, data):
    order.hq_audit_comment = data.get("comment")
    order.status = rules.status_after_audit("hq_audit", data["approved"])


def _settle(uow, order, data):
    order.settled_at = utcnow()
    uow.emit("logistics.field_service_settled", events.field_service_settled(order))


OVERDUE_BATCH = 500


def send_feedback_overdue(uow, now: datetime) -> int:
    """The scheduled job: tell each provider whose feedback is overdue, once per due time.

    `feedback_overdue_sent_for` is written in the transaction that emits, and rows are claimed
    with SKIP LOCKED, so re-runs and replicas never tell twice.
    """
    with uow:
        due = uow.session.execute(
            select(FSO).where(FSO.status == rules.SERVICED, FSO.feedback_due_at < now,
                              or_(FSO.feedback_overdue_sent_for.is_(None),
                                  FSO.feedback_overdue_sent_for != FSO.feedback_due_at))
            .order_by(FSO.feedback_due_at).limit(OVERDUE_BATCH).with_for_update(skip_locked=True)).scalars().all()
        told = 0
        for order in due:
            if rules.owes_overdue_notice(order.status, order.feedback_due_at, order.feedback_overdue_sent_for, now):
                order.feedback_overdue_sent_for = order.feedback_due_at
                uow.emit("logistics.field_service_feedback_overdue", events.feedback_overdue(order))
                told += 1
        return told


def run_feedback_reminders(uow, principal: Principal, payload) -> dict:
    """Operator entry to the timer job (and how tests drive it with an explicit `now`)."""
    principal.require("admin.events")
    data = load_body(schemas.RemindersIn(), payload or {})
    return schemas.RemindersOut().dump({"reminded": send_feedback_overdue(uow, data["now"] or utcnow())})


# what each step records besides the status the workflow gives it
APPLY = {"dispatch": _dispatch, "confirm": _confirm, "progress": _progress, "feedback": _feedback,
         "audit": _audit, "fee": _fee, "hq_audit": _hq_audit, "settle": _settle}
