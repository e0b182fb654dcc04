"""Use cases around the approval engine: flow configuration (admins) and approval desks."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import get_in_scope, is_uuid
from crm_common.validation import load_body, load_query
from crm_sales.approval_schemas import FlowIn, FlowListQuery, FlowOut, FlowUpdateIn, InstanceOut, PendingQuery
from crm_sales.approvals import actionable_by
from crm_sales.models import ApprovalFlow, ApprovalInstance

READ, WRITE = "approval_flows.read", "approval_flows.write"
SORTS = {"created_at": ApprovalInstance.created_at}


def _steps_json(steps) -> list:
    """Stored as plain JSON: decimals as strings, ids as strings."""
    return FlowOut().dump({"steps": [jsonable(s) for s in steps]})["steps"]


def jsonable(value):
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    return str(value)


def _find(session, flow_id, for_update=False) -> ApprovalFlow:
    flow = session.get(ApprovalFlow, str(flow_id), with_for_update=for_update) if is_uuid(flow_id) else None
    if flow is None:
        raise NotFound("Approval flow not found")
    return flow


def create(uow, principal: Principal, payload) -> dict:
    principal.require(WRITE)
    data = load_body(FlowIn(), payload)
    try:
        with uow:
            flow = ApprovalFlow(id=new_id(), document_type=data["document_type"], name=data["name"], version=1,
                                allow_self_approval=data["allow_self_approval"], steps=_steps_json(data["steps"]))
            uow.session.add(flow)
            uow.session.flush()
            return FlowOut().dump(flow)
    except IntegrityError:
        raise Conflict("This document type already has a flow; change it instead",
                       {"document_type": ["Already configured."]}) from None


def update(uow, principal: Principal, flow_id, payload) -> dict:
    """A new version; approvals already started keep the steps they were started with."""
    principal.require(WRITE)
    data = load_body(FlowUpdateIn(), payload)
    with uow:
        flow = _find(uow.session, flow_id, for_update=True)
        if "steps" in data:
            flow.steps = _steps_json(data["steps"])
        for key in ("name", "allow_self_approval"):
            if key in data:
                setattr(flow, key, data[key])
        flow.version += 1
        uow.session.flush()
        return FlowOut().dump(flow)


def get(uow, principal: Principal, flow_id) -> dict:
    principal.require(READ)
    with uow:
        return FlowOut().dump(_find(uow.session, flow_id))


def list_(uow, principal: Principal, query) -> dict:
    principal.require(READ)
    q = load_query(FlowListQuery(), query)
    stmt = select(ApprovalFlow)
    if "document_type" in q:
        stmt = stmt.where(ApprovalFlow.document_type == q["document_type"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, ApprovalFlow.id, q,
                                   {"created_at": ApprovalFlow.created_at}, "created_at")
        return {"items": FlowOut(many=True).dump(rows), "next_cursor": cursor}


def pending_for_me(uow, principal: Principal, query) -> dict:
    """The caller's approval desk: every approval whose current step they may act on."""
    q = load_query(PendingQuery(), query)
    stmt = select(ApprovalInstance).where(actionable_by(principal))
    if "document_type" in q:
        stmt = stmt.where(ApprovalInstance.document_type == q["document_type"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, ApprovalInstance.id, q, SORTS, "created_at")
        return {"items": InstanceOut(many=True, exclude=("actions",)).dump(rows), "next_cursor": cursor}


def get_instance(uow, principal: Principal, instance_id) -> dict:
    """One approval with its history: visible to whoever sees the document or may act on it."""
    with uow:
        try:
            instance = get_in_scope(uow.session, ApprovalInstance, instance_id, principal)
        except NotFound:
            instance = uow.session.execute(select(ApprovalInstance).where(
                ApprovalInstance.id == str(instance_id), actionable_by(principal))).scalar_one_or_none() \
                if is_uuid(instance_id) else None
            if instance is None:
                raise
        return InstanceOut().dump(instance)


def instances_out(instances) -> list:
    return InstanceOut(many=True).dump(instances)

