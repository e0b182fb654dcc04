"""Use cases for targets (SAL-10): set per rep or department and period; progress from approved orders.

The sales service does not know the org chart, so a target names its subject by the ids and
department path the client sends; it is accepted only inside the setter's own data scope.
Progress = the total of the subject's orders approved within the period (approved, completed or
closed; samples excluded), same currency.
"""
from datetime import datetime, time, timezone

from sqlalchemy import func, select

from crm_common.database import new_id
from crm_common.errors import InvalidInput
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, in_scope, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_body, load_query
from crm_sales.orders.models import Order
from crm_sales.target_models import Target
from crm_sales.target_rules import period_bounds, progress_percent
from crm_sales.target_schemas import TargetIn, TargetListQuery, TargetOut

SORTS = {"created_at": Target.created_at, "period": Target.period}
COUNTED = ("approved", "completed", "closed")


def create(uow, principal: Principal, payload) -> dict:
    principal.require("targets.write")
    data = load_body(TargetIn(), payload)
    starts_on, ends_on = period_bounds(data["period"])
    owner = str(data["user_id"]) if data["subject"] == "user" else principal.user_id
    if not in_scope(principal, owner, data["department_path"], principal.branch) or (
            data["subject"] == "department" and principal.scope == "own"):
        raise InvalidInput("Outside your data scope", {"department_path": ["Not a department you manage."]})
    with uow:
        target = Target(id=new_id(), subject=data["subject"], period=data["period"], starts_on=starts_on,
                        ends_on=ends_on, amount=data["amount"], currency=data["currency"],
                        created_by=principal.user_id, owner_id=owner, department_path=data["department_path"],
                        branch=principal.branch)
        uow.session.add(target)
        uow.session.flush()
        return _out(uow.session, target)


def _achieved(session, target: Target):
    def at(day):
        return datetime.combine(day, time.min, tzinfo=timezone.utc)
    stmt = select(func.coalesce(func.sum(Order.total), 0)).where(
        Order.status.in_(COUNTED), Order.order_type == "sale", Order.currency == target.currency,
        Order.branch == target.branch, Order.approved_at >= at(target.starts_on),
        Order.approved_at < at(target.ends_on))
    if target.subject == "user":
        stmt = stmt.where(Order.owner_id == target.owner_id)
    else:
        stmt = stmt.where(Order.department_path.startswith(target.department_path, autoescape=True))
    return session.execute(stmt).scalar_one()


def _out(session, target: Target) -> dict:
    achieved = _achieved(session, target)
    columns = {name: getattr(target, name) for name in TargetOut().fields if hasattr(target, name)}
    return TargetOut().dump({**columns, "achieved": achieved,
                             "progress_percent": progress_percent(achieved, target.amount)})


def get(uow, principal: Principal, target_id) -> dict:
    principal.require("orders.read")
    with uow:
        return _out(uow.session, get_in_scope(uow.session, Target, target_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("orders.read")
    q = load_query(TargetListQuery(), query)
    stmt = select(Target).where(scope_filter(principal, Target))
    if "period" in q:
        stmt = stmt.where(Target.period == q["period"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Target.id, q, SORTS, "-created_at")
        return {"items": [_out(uow.session, row) for row in rows], "next_cursor": cursor}

