"""The approval engine's admin routes that need the gateway's own records (SAL-07, issue 17).

The gateway owns users and roles, so a flow that names users (named approvers, the administrator
who gets stages nobody can approve) or roles is checked here before sales stores it: an unknown
one is a 422 beside its field. The engine itself resolves superiors and role holders from the
people the gateway sends it whenever a user is saved (`people_sync`); `sync_people` sends them all
(after an upgrade, or to repair).
"""
from sqlalchemy import select

from crm_common.errors import InvalidInput
from crm_common.records import is_uuid
from crm_gateway.identity import directory
from crm_gateway.identity.models import Role, User


def _unknown(session, model, ids) -> list:
    ids = sorted({str(i) for i in ids if is_uuid(str(i))})
    found = set(session.execute(select(model.id).where(model.id.in_(ids))).scalars()) if ids else set()
    return [i for i in ids if i not in found]


def _check(ctx, body) -> None:
    """Users and roles a flow names must exist; the shape of the rest is the service's to check."""
    if not isinstance(body, dict):
        return
    errors = {}
    steps = body.get("steps") if isinstance(body.get("steps"), list) else []
    with ctx.db() as session:
        for index, step in enumerate(steps):
            approver = step.get("approver") if isinstance(step, dict) else None
            if not isinstance(approver, dict):
                continue
            users = approver.get("user_ids") if isinstance(approver.get("user_ids"), list) else []
            users = users + ([approver["user_id"]] if isinstance(approver.get("user_id"), str) else [])
            missing = _unknown(session, User, users)
            if missing:
                errors.setdefault("steps", {})[str(index)] = {"approver": {"user_ids": [
                    f"Unknown user {u}." for u in missing]}}
            role = approver.get("role_id")
            if isinstance(role, str) and _unknown(session, Role, [role]):
                errors.setdefault("steps", {})[str(index)] = {"approver": {"role_id": ["Unknown role."]}}
        admin = body.get("admin_user_id")
        if isinstance(admin, str) and _unknown(session, User, [admin]):
            errors["admin_user_id"] = ["Unknown user."]
    if errors:
        raise InvalidInput("The flow names users or roles that do not exist", errors)


def create(ctx) -> dict:
    _check(ctx, ctx.body())
    return ctx.call("sales", "create_approval_flow", [ctx.body()])


def update(ctx) -> dict:
    _check(ctx, ctx.body())
    return ctx.call("sales", "update_approval_flow", [ctx.params["id"], ctx.body()])


def people_sync(ctx):
    """`on_saved` of a user: the engine of the user's branch hears of them inside the user's
    transaction, so a user saved is a user the engine knows (or the save fails, 503, and nothing changes)."""
    def send(person: dict) -> None:
        # a branch this gateway does not serve hears of its people through its own gateway's sync
        if person["branch"] in ctx.branches.clients:
            ctx.call("sales", "sync_approval_people", [{"people": [person]}], branch=person["branch"])
    return send


def sync_people(ctx) -> dict:
    synced = 0
    for branch, people in directory.approval_people(ctx.db, ctx.principal).items():
        if branch not in ctx.branches.clients:
            continue
        for start in range(0, len(people), 1000):
            synced += ctx.call("sales", "sync_approval_people", [{"people": people[start:start + 1000]}],
                               branch=branch)["synced"]
    return {"synced": synced}


def history(ctx) -> list:
    """GET /approval-history/{document_type}/{id}: two path parameters, which a proxied route does not pass."""
    return ctx.call("sales", "document_approvals", [ctx.params["document_type"], ctx.params["id"]])
