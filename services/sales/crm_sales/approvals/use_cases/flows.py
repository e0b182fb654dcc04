"""The engine's configuration: approval flows set by admins (one live flow per document type,
versioned, retired; finance told of each change), and the people it resolves approvers from,
as the gateway sends them."""
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal
from crm_common.records import utcnow
from crm_common.validation import NoInput, load_body
from crm_sales.approvals import queries
from crm_sales.approvals.models import ApprovalFlow, ApprovalPerson
from crm_sales.approvals.schemas import FlowIn, FlowOut, FlowUpdateIn, PeopleIn
from crm_sales.db import jsonable

# The gateway, when it saves a user: the same permission as managing users.
PEOPLE_WRITE = "admin.users"


def _steps_json(steps) -> list:
    """Stored as plain JSON: decimals as strings, ids as strings."""
    return FlowOut().dump({"steps": [jsonable(s) for s in steps]})["steps"]


SETTINGS = ("name", "allow_self_approval", "no_approver", "admin_user_id", "restart")


def _check_settings(flow: ApprovalFlow) -> None:
    if flow.no_approver == "admin" and not flow.admin_user_id:
        raise InvalidInput("A flow that gives stages nobody can approve to its administrator names one",
                           {"admin_user_id": ["Required when no_approver is admin."]})


def _changed(uow, flow: ApprovalFlow) -> None:
    """Finance keeps which of its document types have a flow: without one they are not held."""
    uow.emit("sales.approval_flow_changed", {
        "flow_id": flow.id, "document_type": flow.document_type, "version": flow.version,
        "configured": flow.retired_at is None})


def create_flow(uow, principal: Principal, payload) -> dict:
    principal.require(queries.FLOWS_WRITE)
    data = load_body(FlowIn(), payload)
    try:
        with uow:
            flow = ApprovalFlow(id=new_id(), document_type=data["document_type"], version=1,
                                steps=_steps_json(data["steps"]),
                                **{key: str(data[key]) if key == "admin_user_id" and data.get(key) else data.get(key)
                                   for key in SETTINGS})
            _check_settings(flow)
            uow.session.add(flow)
            uow.session.flush()
            _changed(uow, flow)
            return FlowOut().dump(flow)
    except IntegrityError:
        raise Conflict("This document type already has a flow; change it instead",
                       {"document_type": ["Already configured."]}) from None


def _live(uow, flow_id) -> ApprovalFlow:
    flow = queries.find_flow(uow.session, flow_id, for_update=True)
    if flow.retired_at is not None:
        raise Conflict("This flow is retired", {"retired_at": [flow.retired_at.isoformat()]})
    return flow


def update_flow(uow, principal: Principal, flow_id, payload) -> dict:
    """A new version; approvals already started keep the stages they were started with."""
    principal.require(queries.FLOWS_WRITE)
    data = load_body(FlowUpdateIn(), payload)
    with uow:
        flow = _live(uow, flow_id)
        if "steps" in data:
            flow.steps = _steps_json(data["steps"])
        for key in SETTINGS:
            if key in data:
                setattr(flow, key, str(data[key]) if key == "admin_user_id" and data[key] else data[key])
        _check_settings(flow)
        flow.version += 1
        uow.session.flush()
        _changed(uow, flow)
        return FlowOut().dump(flow)


def retire_flow(uow, principal: Principal, flow_id, payload=None) -> dict:
    """The document type goes back to its default (finance's: not held at all); documents in
    flight finish with the stages they started with."""
    principal.require(queries.FLOWS_WRITE)
    load_body(NoInput(), payload or {})
    with uow:
        flow = _live(uow, flow_id)
        flow.retired_at = utcnow()
        uow.session.flush()
        _changed(uow, flow)
        return FlowOut().dump(flow)


def sync_people(uow, principal: Principal, payload) -> dict:
    """The gateway's users as the engine needs them (superior, roles, branch, active); whole rows,
    so a replay is harmless."""
    principal.require(PEOPLE_WRITE)
    data = load_body(PeopleIn(), payload)
    rows = [{"user_id": str(p["user_id"]), "branch": p["branch"],
             "manager_id": str(p["manager_id"]) if p["manager_id"] else None,
             "role_ids": sorted(str(r) for r in p["role_ids"]), "active": p["active"], "synced_at": utcnow()}
            for p in data["people"]]
    with uow:
        statement = pg_insert(ApprovalPerson).values(rows)
        if data["missing_only"]:
            added = uow.session.execute(statement.on_conflict_do_nothing(index_elements=["user_id"])
                                        .returning(ApprovalPerson.user_id)).all()
            return {"synced": len(added)}
        uow.session.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_={
            key: statement.excluded[key] for key in ("branch", "manager_id", "role_ids", "active", "synced_at")}))
        return {"synced": len(rows)}
