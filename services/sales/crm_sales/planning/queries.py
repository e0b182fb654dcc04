"""Reads of planning: campaigns and their report, targets with their progress.

A target's progress = the total of its subject's orders approved within the period (approved,
completed or closed; samples excluded), same currency. A campaign's report counts the approved
sales to the campaign's leads since it started.
"""
from decimal import Decimal

from sqlalchemy import func, select

from crm_common import branch_time
from crm_common.money import CENT, total
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_query
from crm_sales.orders.models import Order
from crm_sales.orders.rules import SOLD
from crm_sales.planning.models import Campaign, Target
from crm_sales.planning.rules import progress_percent
from crm_sales.planning.schemas import CampaignListQuery, CampaignOut, CampaignReportOut, TargetListQuery, TargetOut

CAMPAIGN_SORTS = {"created_at": Campaign.created_at, "starts_on": Campaign.starts_on}
TARGET_SORTS = {"created_at": Target.created_at, "period": Target.period}


# --- campaigns ---------------------------------------------------------------------------------

def find_campaign(session, principal, campaign_id, for_update=False) -> Campaign:
    return get_in_scope(session, Campaign, campaign_id, principal, for_update=for_update)


def get_campaign(uow, principal: Principal, campaign_id) -> dict:
    principal.require("campaigns.read")
    with uow:
        return CampaignOut().dump(find_campaign(uow.session, principal, campaign_id))


def list_campaigns(uow, principal: Principal, query) -> dict:
    principal.require("campaigns.read")
    q = load_query(CampaignListQuery(), query)
    stmt = select(Campaign).where(scope_filter(principal, Campaign))
    if "name" in q:
        stmt = stmt.where(Campaign.name.contains(q["name"], autoescape=True))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Campaign.id, q, CAMPAIGN_SORTS, "-created_at")
        return {"items": CampaignOut(many=True, exclude=("costs", "tasks", "leads")).dump(rows),
                "next_cursor": cursor}


def campaign_report(uow, principal: Principal, campaign_id) -> dict:
    """Cost, leads, cost per lead, and approved sales to the campaign's leads since it started."""
    principal.require("campaigns.read")
    with uow:
        campaign = find_campaign(uow.session, principal, campaign_id)
        cost = total(c.amount for c in campaign.costs)
        lead_ids = [lead.customer_id for lead in campaign.leads]
        sold, orders = uow.session.execute(select(func.coalesce(func.sum(Order.total), 0), func.count()).where(
            Order.customer_id.in_(lead_ids), Order.status.in_(SOLD), Order.order_type == "sale",
            Order.currency == campaign.currency, Order.approved_at >= branch_time.start_of_day(campaign.starts_on, branch_time.zone()))).one()
        return CampaignReportOut().dump({
            "campaign_id": campaign.id, "currency": campaign.currency, "budget": campaign.budget, "cost": cost,
            "leads": len(lead_ids), "cost_per_lead": (cost / len(lead_ids)).quantize(CENT) if lead_ids else None,
            "orders": orders, "sales": Decimal(sold).quantize(CENT),
            "tasks_open": sum(1 for t in campaign.tasks if not t.done)})


# --- targets -----------------------------------------------------------------------------------

def _achieved(session, target: Target):
    zone = branch_time.zone()  # a target's period is the branch's days: 23:30 UTC on the 31st is next month's

    def at(day):
        return branch_time.start_of_day(day, zone)
    stmt = select(func.coalesce(func.sum(Order.total), 0)).where(
        Order.status.in_(SOLD), Order.order_type == "sale", Order.currency == target.currency,
        Order.branch == target.branch, Order.approved_at >= at(target.starts_on),
        Order.approved_at < at(target.ends_on))
    if target.subject == "user":
        stmt = stmt.where(Order.owner_id == target.owner_id)
    else:
        stmt = stmt.where(Order.department_path.startswith(target.department_path, autoescape=True))
    return session.execute(stmt).scalar_one()


def target_out(session, target: Target) -> dict:
    achieved = _achieved(session, target)
    columns = {name: getattr(target, name) for name in TargetOut().fields if hasattr(target, name)}
    return TargetOut().dump({**columns, "achieved": achieved, "status": "closed" if target.closed_at else "open",
                             "progress_percent": progress_percent(achieved, target.amount)})


def get_target(uow, principal: Principal, target_id) -> dict:
    principal.require("orders.read")
    with uow:
        return target_out(uow.session, get_in_scope(uow.session, Target, target_id, principal))


def list_targets(uow, principal: Principal, query) -> dict:
    principal.require("orders.read")
    q = load_query(TargetListQuery(), query)
    stmt = select(Target).where(scope_filter(principal, Target))
    if "period" in q:
        stmt = stmt.where(Target.period == q["period"])
    if "status" in q:
        stmt = stmt.where(Target.closed_at.is_(None) if q["status"] == "open" else Target.closed_at.is_not(None))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Target.id, q, TARGET_SORTS, "-created_at")
        return {"items": [target_out(uow.session, row) for row in rows], "next_cursor": cursor}
