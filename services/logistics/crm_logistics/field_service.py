"""Use cases for field-service orders (LOG-04); the workflow itself is in field_service_rules.

Who may do what:
- the office (`field_service.write`, data scope as usual): repair call, dispatch, confirmation,
  progress, audit of the feedback, fee statement;
- service providers (`field_service.provider`): see only the orders dispatched to them and give
  the feedback; any other order does not exist for them (404);
- head office (`field_service.settle`): audits the fee statement and settles it, which emits
  `logistics.field_service_settled` for finance to pay (FIN-07).
"""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, or_, select

from crm_common.api_contract import Contract
from crm_common.database import new_id
from crm_common.errors import Conflict, Forbidden, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import is_uuid, ownership_of, utcnow
from crm_common.validation import NoInput, load_body, load_query
from crm_logistics import field_service_rules as rules
from crm_logistics import field_service_schemas as schemas
from crm_logistics.models import FieldServiceOrder as FSO

SORTS = {"created_at": FSO.created_at, "number": FSO.number}
SCOPE = ("owner_id", "department_path", "branch")
OFFICE, PROVIDER, HEAD_OFFICE = "field_service.write", "field_service.provider", "field_service.settle"
ACTOR_PERMISSION = {"office": OFFICE, "provider": PROVIDER, "head_office": HEAD_OFFICE}
STEP_SCHEMAS = {"dispatch": schemas.DispatchIn, "confirm": schemas.ConfirmIn, "progress": schemas.ProgressIn,
                "feedback": schemas.FeedbackIn, "audit": schemas.AuditIn, "fee": schemas.FeeIn,
                "hq_audit": schemas.AuditIn, "settle": NoInput}
# The gateway has one route per step; each step is described as a variant of field_service_step.
CONTRACT_VARIANTS = {f"field_service_step:{action}": Contract(body=schema, returns=schemas.FieldServiceOut)
                     for action, schema in STEP_SCHEMAS.items()}


def _visible(principal: Principal):
    """Office and head office see by data scope; a provider sees what was dispatched to them."""
    conditions = []
    if principal.has("field_service.read"):
        conditions.append(scope_filter(principal, FSO))
    if principal.has(PROVIDER) and principal.user_id:
        conditions.append(FSO.provider_id == principal.user_id)
    if not conditions:
        raise Forbidden("Missing permission field_service.read")
    return or_(*conditions)


def _acting_on(principal: Principal):
    """Acting needs more than seeing: providers act only on their own orders, others by scope."""
    return scope_filter(principal, FSO)


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value) if hasattr(value, "hex") else value  # UUIDs


def _out(order: FSO) -> dict:
    order.feedback_overdue = order.status == rules.SERVICED and rules.is_late(order.feedback_due_at, utcnow())
    return schemas.FieldServiceOut().dump(order)


def create(uow, principal: Principal, payload) -> dict:
    """A repair call taken by the call centre or the office becomes a new order."""
    principal.require(OFFICE)
    data = load_body(schemas.RepairCallIn(), payload)
    with uow:
        order = FSO(id=new_id(), status=rules.NEW, number=None, **_jsonable(data), **ownership_of(principal),
                    history=[_step("create", principal)])
        order.number = uow.next_number(f"FS-{principal.branch}")
        uow.session.add(order)
        uow.session.flush()
        return _out(order)


def _step(action: str, principal: Principal, **extra) -> dict:
    return {"action": action, "by": principal.user_id, "at": utcnow().isoformat(), **_jsonable(extra)}


def _load_for(uow, principal: Principal, order_id, actor: str) -> FSO:
    condition = FSO.provider_id == principal.user_id if actor == "provider" else _acting_on(principal)
    order = None
    if is_uuid(order_id):
        order = uow.session.execute(select(FSO).where(FSO.id == str(order_id), and_(condition))
                                    .with_for_update()).scalar_one_or_none()
    if order is None:
        raise NotFound("FieldServiceOrder not found")
    return order


def step(uow, principal: Principal, order_id, action: str, payload=None) -> dict:
    _, actor = rules.ACTIONS[action]
    principal.require(ACTOR_PERMISSION[actor])
    data = load_body(STEP_SCHEMAS[action](), payload or {}) if action in STEP_SCHEMAS else {}
    with uow:
        order = _load_for(uow, principal, order_id, actor)
        try:
            rules.check_step(order.status, action)
        except rules.StepNotAllowed as exc:
            raise Conflict(str(exc)) from None
        APPLY[action](uow, order, data)
        order.history = [*order.history, _step(action, principal, **({"approved": data["approved"]}
                                                                       if "approved" in data else {}))]
        uow.session.flush()
        return _out(order)


def _dispatch(uow, order, data):
    order.provider_id, order.provider_name = str(data["provider_id"]), data["provider_name"]
    order.dispatched_at, order.status = utcnow(), rules.DISPATCHED


def _confirm(uow, order, data):
    order.technician_name, order.technician_phone = data["technician_name"], data["technician_phone"]
    order.status = rules.CONFIRMED


def _progress(uow, order, data):
    for key in ("arrived_at", "fixed_at", "anomalies"):
        if key in data:
            setattr(order, key, data[key])
    order.status = rules.status_after_progress(order.fixed_at)
    if order.fixed_at:
        order.feedback_due_at = rules.feedback_due(order.fixed_at)


def _feedback(uow, order, data):
    now = utcnow()
    order.feedback, order.feedback_at = _jsonable(data), now
    order.feedback_late = rules.is_late(order.feedback_due_at, now)
    order.status = rules.FEEDBACK_GIVEN


def _audit(uow, order, data):
    order.audit_comment = data.get("comment")
    order.status = rules.status_after_audit("audit", data["approved"])


def _fee(uow, order, data):
    order.fee_items = _jsonable(data["items"])
    order.fee_total, order.fee_currency = rules.fee_total(data["items"]), data["currency"]
    order.status = rules.FEE_STATED


def _hq_audit(uow, order, data):
    order.hq_audit_comment = data.get("comment")
    order.status = rules.status_after_audit("hq_audit", data["approved"])


def _settle(uow, order, data):
    order.settled_at, order.status = utcnow(), rules.SETTLED
    uow.emit("logistics.field_service_settled", {
        "field_service_order_id": order.id, "number": order.number, "provider_id": order.provider_id,
        "provider_name": order.provider_name, "amount": order.fee_total, "currency": order.fee_currency,
        **{key: getattr(order, key) for key in SCOPE}})


APPLY = {"dispatch": _dispatch, "confirm": _confirm, "progress": _progress, "feedback": _feedback,
         "audit": _audit, "fee": _fee, "hq_audit": _hq_audit, "settle": _settle}


def get(uow, principal: Principal, order_id) -> dict:
    with uow:
        order = None
        if is_uuid(order_id):
            order = uow.session.execute(select(FSO).where(FSO.id == str(order_id), _visible(principal))) \
                .scalar_one_or_none()
        if order is None:
            raise NotFound("FieldServiceOrder not found")
        return _out(order)


def list_(uow, principal: Principal, query) -> dict:
    stmt = select(FSO).where(_visible(principal))
    q = load_query(schemas.FieldServiceListQuery(), query)
    if "status" in q:
        stmt = stmt.where(FSO.status == q["status"])
    if q.get("feedback_overdue"):
        stmt = stmt.where(FSO.status == rules.SERVICED, FSO.feedback_due_at < utcnow())
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, FSO.id, q, SORTS, "-created_at")
        return {"items": [_out(row) for row in rows], "next_cursor": cursor}
