"""Use cases of planning: campaigns with their cost, tasks, participants and the leads they
brought (SAL-11), and sales targets per rep or department and period (SAL-10).

The sales service does not know the org chart, so a target names its subject by the ids and
department path the client sends; it is accepted only inside the setter's own data scope.
"""
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_common.principal import Principal, in_scope
from crm_common.records import get_in_scope, is_uuid, ownership_of, utcnow
from crm_common.validation import NoInput, load_body, load_patch
from crm_sales.clients import visible_customer
from crm_sales.planning.models import Campaign, CampaignCost, CampaignLead, CampaignTask, Target
from crm_sales.planning.queries import find_campaign, target_out
from crm_sales.planning.rules import period_bounds
from crm_sales.planning.schemas import (CampaignIn, CampaignOut, CampaignUpdate, CostIn, LeadIn, TargetIn, TargetUpdate,
                                        TaskIn)


# --- campaigns ---------------------------------------------------------------------------------

def create_campaign(uow, principal: Principal, payload) -> dict:
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
            campaign = find_campaign(uow.session, principal, campaign_id, for_update=True)
            build(campaign, payload, *extra)
            uow.session.flush()
            return CampaignOut().dump(campaign)
    return use_case


def update_campaign(uow, principal: Principal, campaign_id, payload) -> dict:
    """Change what is sent (the participants as a whole list); dates are checked as a whole."""
    principal.require("campaigns.write")
    with uow:
        campaign = find_campaign(uow.session, principal, campaign_id, for_update=True)
        data, given = load_patch(CampaignUpdate, payload, campaign)
        data["participants"] = [str(p) for p in data["participants"]]
        for key in given:
            setattr(campaign, key, data[key])
        uow.session.flush()
        return CampaignOut().dump(campaign)


def complete_task(uow, principal: Principal, task_id, payload=None) -> dict:
    """A campaign task done; its campaign answers, and is in scope or the task is not found."""
    principal.require("campaigns.write")
    load_body(NoInput(), payload or {})
    with uow:
        task = uow.session.get(CampaignTask, str(task_id), with_for_update=True) if is_uuid(task_id) else None
        if task is None:
            raise NotFound("Campaign task not found")
        try:
            campaign = find_campaign(uow.session, principal, task.campaign_id, for_update=True)
        except NotFound:
            raise NotFound("Campaign task not found") from None
        if task.done:
            raise Conflict("This task is done already")
        task.done = True
        uow.session.flush()
        return CampaignOut().dump(campaign)


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


# --- targets -----------------------------------------------------------------------------------

def create_target(uow, principal: Principal, payload) -> dict:
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
        return target_out(uow.session, target)


def _open_target(session, principal: Principal, target_id) -> Target:
    target = get_in_scope(session, Target, target_id, principal, for_update=True, permission="targets.write",
                          read_permission="orders.read")
    if target.closed_at is not None:
        raise Conflict("This target is closed")
    return target


def update_target(uow, principal: Principal, target_id, payload) -> dict:
    """Period, amount or currency of an open target; its progress follows on the next read."""
    principal.require("targets.write")
    data = load_body(TargetUpdate(), payload, partial=True)
    with uow:
        target = _open_target(uow.session, principal, target_id)
        if "period" in data:
            target.starts_on, target.ends_on = period_bounds(data["period"])
        for key, value in data.items():
            setattr(target, key, value)
        uow.session.flush()
        return target_out(uow.session, target)


def close_target(uow, principal: Principal, target_id, payload=None) -> dict:
    """No longer pursued: kept, with its progress, and no longer changed."""
    principal.require("targets.write")
    load_body(NoInput(), payload or {})
    with uow:
        target = _open_target(uow.session, principal, target_id)
        target.closed_at = utcnow()
        uow.session.flush()
        return target_out(uow.session, target)
