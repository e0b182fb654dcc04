"""Use cases for campaigns (SAL-11): cost, tasks, participants, the leads they brought, and a report
(cost per lead, approved sales to those leads)."""
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, ownership_of, utcnow
from crm_common.validation import load_body, load_query
from crm_sales.campaign_models import Campaign, CampaignCost, CampaignLead, CampaignTask
from crm_sales.campaign_schemas import (CampaignIn, CampaignListQuery, CampaignOut, CampaignReportOut, CostIn, LeadIn,
                                        TaskIn)
from crm_sales.orders.models import Order
from crm_sales.clients import visible_customer

SORTS = {"created_at": Campaign.created_at, "starts_on": Campaign.starts_on}
CENT = Decimal("0.01")
SOLD = ("approved", "completed", "closed")


def _find(session, principal, campaign_id, for_update=False) -> Campaign:
    return get_in_scope(session, Campaign, campaign_id, principal, for_update=for_update)


def create(uow, principal: Principal, payload) -> dict:
    principal.require("campaigns.write")
    data = load_body(CampaignIn(), payload)
    data["participants"] = [str(p) for p in data["participants"]]
    with uow:
        campaign = Campaign(id=new_id(), costs=[], tasks=[], leads=[], **data, **ownership_of(principal))
        uow.session.add(campaign)
        uow.session.flush()
        return CampaignOut().dump(campaign)


def _child(build):
    def use_case(uow, principal: Principal, campaign_id, payload, *extra) -> dict:
        principal.require("campaigns.write")
        with uow:
            campaign = _find(uow.session, principal, campaign_id, for_update=True)
            build(campaign, payload, *extra)
            uow.session.flush()
            return CampaignOut().dump(campaign)
    return use_case


@_child
def add_cost(campaign, payload):
    campaign.costs.append(CampaignCost(id=new_id(), created_at=utcnow(), **load_body(CostIn(), payload)))


@_child
def add_task(campaign, payload):
    data = load_body(TaskIn(), payload)
    campaign.tasks.append(CampaignTask(id=new_id(), title=data["title"], due_on=data.get("due_on"), done=False,
                                       assignee_id=str(data["assignee_id"]) if data.get("assignee_id") else None,
                                       created_at=utcnow()))


def add_lead(uow, principal: Principal, campaign_id, payload, customer_lookup) -> dict:
    """The lead must be a customer the caller can see (asked of the customers service)."""
    principal.require("campaigns.write")
    data = load_body(LeadIn(), payload)
    customer = visible_customer(customer_lookup, data["customer_id"])

    @_child
    def build(campaign, _payload):
        campaign.leads.append(CampaignLead(id=new_id(), customer_id=customer["id"], customer_name=customer["name"],
                                           created_at=utcnow()))
    try:
        return build(uow, principal, campaign_id, payload)
    except IntegrityError:
        raise Conflict("This customer is already a lead of the campaign") from None


def get(uow, principal: Principal, campaign_id) -> dict:
    principal.require("campaigns.read")
    with uow:
        return CampaignOut().dump(_find(uow.session, principal, campaign_id))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("campaigns.read")
    q = load_query(CampaignListQuery(), query)
    stmt = select(Campaign).where(scope_filter(principal, Campaign))
    if "name" in q:
        stmt = stmt.where(Campaign.name.contains(q["name"], autoescape=True))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Campaign.id, q, SORTS, "-created_at")
        return {"items": CampaignOut(many=True, exclude=("costs", "tasks", "leads")).dump(rows),
                "next_cursor": cursor}


def report(uow, principal: Principal, campaign_id) -> dict:
    """Cost, leads, cost per lead, and approved sales to the campaign's leads since it started."""
    principal.require("campaigns.read")
    with uow:
        campaign = _find(uow.session, principal, campaign_id)
        cost = sum((c.amount for c in campaign.costs), Decimal("0.00"))
        lead_ids = [lead.customer_id for lead in campaign.leads]
        sold, orders = uow.session.execute(select(func.coalesce(func.sum(Order.total), 0), func.count()).where(
            Order.customer_id.in_(lead_ids), Order.status.in_(SOLD), Order.order_type == "sale",
            Order.currency == campaign.currency, func.date(Order.approved_at) >= campaign.starts_on)).one()
        return CampaignReportOut().dump({
            "campaign_id": campaign.id, "currency": campaign.currency, "budget": campaign.budget, "cost": cost,
            "leads": len(lead_ids), "cost_per_lead": (cost / len(lead_ids)).quantize(CENT) if lead_ids else None,
            "orders": orders, "sales": Decimal(sold).quantize(CENT),
            "tasks_open": sum(1 for t in campaign.tasks if not t.done)})
