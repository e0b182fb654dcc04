"""Use cases of the pipeline: configurable opportunity stages (SAL-03), opportunities won or lost
with a reason and competitor quotes, and competitors with their market activities (SAL-04).

Competitors are market knowledge shared by the branch (like products): no data scope; reading
needs `opportunities.read`, writing `competitors.write`.
"""
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from crm_common import stars
from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal
from crm_common.records import ownership_of, utcnow
from crm_common.validation import load_body
from crm_sales.clients import visible_customer
from crm_sales.db import STARS, jsonable
from crm_sales.pipeline.models import Competitor, CompetitorActivity, CompetitorQuote, Opportunity, OpportunityStage
from crm_sales.pipeline.queries import STAR_KIND, find, find_competitor, find_stage, first_stage_of
from crm_sales.pipeline.rules import LIFECYCLE
from crm_sales.pipeline.schemas import (ActivityIn, CloseIn, CompetitorIn, CompetitorOut, CompetitorQuoteIn, MoveIn,
                                        OpportunityIn, OpportunityOut, OpportunityUpdate, StageIn, StageOut)


# --- stages (admin configuration) ---------------------------------------------------------------

def create_stage(uow, principal: Principal, payload) -> dict:
    principal.require("opportunities.admin")
    data = load_body(StageIn(), payload)
    try:
        with uow:
            stage = OpportunityStage(id=new_id(), **data)
            uow.session.add(stage)
            uow.session.flush()
            return StageOut().dump(stage)
    except IntegrityError:
        raise Conflict("A stage with this name exists", {"name": ["Already used."]}) from None


def update_stage(uow, principal: Principal, stage_id, payload) -> dict:
    principal.require("opportunities.admin")
    data = load_body(StageIn(), payload, partial=True)
    with uow:
        stage = find_stage(uow.session, stage_id, field=None)
        for key, value in data.items():
            setattr(stage, key, value)
        uow.session.flush()
        return StageOut().dump(stage)


# --- opportunities ------------------------------------------------------------------------------

def _facts(opportunity: Opportunity) -> dict:
    return {"stage_id": opportunity.stage_id, "status": opportunity.status,
            "expected_amount": opportunity.expected_amount, "currency": opportunity.currency,
            "probability": opportunity.probability, "owner_id": opportunity.owner_id,
            "department_path": opportunity.department_path, "branch": opportunity.branch}


def _changed(uow, opportunity: Opportunity, before: dict | None) -> None:
    """sales.opportunity_changed, in the change's transaction: the report pack's read models
    (crm_sales.reports) and the customers' pools (a creation opens, a win or loss closes) follow
    every change, whichever use case made it."""
    after = _facts(opportunity)
    if before == after:
        return
    uow.emit("sales.opportunity_changed", {
        "opportunity_id": opportunity.id, "customer_id": opportunity.customer_id,
        "created_at": opportunity.created_at, "changed_at": utcnow(),
        "before": before, "after": after, "owner_id": opportunity.owner_id,
        "department_path": opportunity.department_path, "branch": opportunity.branch})


def create(uow, principal: Principal, payload, customer_lookup) -> dict:
    principal.require("opportunities.write")
    data = load_body(OpportunityIn(), payload)
    customer = visible_customer(customer_lookup, data["customer_id"])
    with uow:
        stage = find_stage(uow.session, data["stage_id"])
        if stage.outcome != "open" or not stage.active:
            raise InvalidInput("Invalid stage", {"stage_id": ["A new opportunity starts in an open, active stage."]})
        opportunity = Opportunity(
            id=new_id(), customer_id=customer["id"], customer_name=customer["name"], title=data["title"],
            source=data.get("source"), stage_id=stage.id, probability=data.get("probability", stage.probability),
            expected_amount=data["expected_amount"], currency=data["currency"],
            expected_close_date=data["expected_close_date"], status="open", competitor_quotes=[],
            **ownership_of(principal))
        uow.session.add(opportunity)
        uow.session.flush()
        _changed(uow, opportunity, None)
        return OpportunityOut().dump(opportunity)


def _scope(record) -> dict:
    return {"owner_id": record.owner_id, "department_path": record.department_path, "branch": record.branch}


def update(uow, principal: Principal, opportunity_id, payload) -> dict:
    """Change what is sent of an open opportunity; won and lost ones stay as they ended."""
    principal.require("opportunities.write")
    data = load_body(OpportunityUpdate(), payload, partial=True)
    with uow:
        opportunity = find(uow.session, principal, opportunity_id, for_update=True)
        LIFECYCLE.apply(opportunity, "edit")
        before = _facts(opportunity)
        for key, value in data.items():
            setattr(opportunity, key, value)
        uow.session.flush()
        _changed(uow, opportunity, before)
        return OpportunityOut().dump(opportunity)


def move(uow, principal: Principal, opportunity_id, payload) -> dict:
    principal.require("opportunities.write")
    data = load_body(MoveIn(), payload)
    with uow:
        opportunity = find(uow.session, principal, opportunity_id, for_update=True)
        LIFECYCLE.apply(opportunity, "move")
        before = _facts(opportunity)
        stage = find_stage(uow.session, data["stage_id"])
        if stage.outcome != "open":
            raise InvalidInput("Invalid stage", {"stage_id": ["Use win or lose to close an opportunity."]})
        opportunity.stage_id = stage.id
        opportunity.probability = data.get("probability", stage.probability)
        _changed(uow, opportunity, before)
        return OpportunityOut().dump(opportunity)


def _close(action: str):
    def use_case(uow, principal: Principal, opportunity_id, payload) -> dict:
        principal.require("opportunities.write")
        data = load_body(CloseIn(), payload)
        with uow:
            opportunity = find(uow.session, principal, opportunity_id, for_update=True)
            before = _facts(opportunity)
            outcome = LIFECYCLE.apply(opportunity, action)
            stage = first_stage_of(uow.session, outcome)
            if stage is not None:
                opportunity.stage_id = stage.id
            opportunity.close_reason, opportunity.closed_at = data["reason"], utcnow()
            opportunity.probability = Decimal("100.00") if outcome == "won" else Decimal("0.00")
            _changed(uow, opportunity, before)
            return OpportunityOut().dump(opportunity)
    return use_case


win, lose = _close("win"), _close("lose")


def set_star(uow, principal: Principal, opportunity_id, starred: bool) -> dict:
    """Star (关注) or unstar an opportunity the caller may read; a star is theirs alone."""
    principal.require("opportunities.read")
    with uow:
        opportunity = find(uow.session, principal, opportunity_id)
        return stars.set_star(uow.session, STARS, principal.user_id, STAR_KIND, opportunity.id, starred)


def add_competitor_quote(uow, principal: Principal, opportunity_id, payload) -> dict:
    principal.require("opportunities.write")
    data = load_body(CompetitorQuoteIn(), payload)
    with uow:
        opportunity = find(uow.session, principal, opportunity_id, for_update=True)
        if uow.session.get(Competitor, str(data["competitor_id"])) is None:
            raise InvalidInput("Unknown competitor", {"competitor_id": ["No such competitor."]})
        opportunity.competitor_quotes.append(CompetitorQuote(
            id=new_id(), competitor_id=str(data["competitor_id"]), amount=data["amount"],
            currency=data["currency"], notes=data.get("notes"), created_at=utcnow()))
        uow.session.flush()
        return OpportunityOut().dump(opportunity)


# --- competitors --------------------------------------------------------------------------------

def _save_competitor(uow, apply) -> dict:
    try:
        with uow:
            competitor = apply(uow.session)
            uow.session.flush()
            return CompetitorOut().dump(competitor)
    except IntegrityError:
        raise Conflict("A competitor with this name exists", {"name": ["Already used."]}) from None


def create_competitor(uow, principal: Principal, payload) -> dict:
    principal.require("competitors.write")
    data = jsonable(load_body(CompetitorIn(), payload))

    def apply(session):
        competitor = Competitor(id=new_id(), activities=[], **data)
        session.add(competitor)
        return competitor
    return _save_competitor(uow, apply)


def update_competitor(uow, principal: Principal, competitor_id, payload) -> dict:
    principal.require("competitors.write")
    data = jsonable(load_body(CompetitorIn(), payload, partial=True))

    def apply(session):
        competitor = find_competitor(session, competitor_id, for_update=True)
        for key, value in data.items():
            setattr(competitor, key, value)
        return competitor
    return _save_competitor(uow, apply)


def add_competitor_activity(uow, principal: Principal, competitor_id, payload) -> dict:
    principal.require("competitors.write")
    data = load_body(ActivityIn(), payload)

    def apply(session):
        competitor = find_competitor(session, competitor_id, for_update=True)
        competitor.activities.append(CompetitorActivity(id=new_id(), reported_by=principal.user_id,
                                                        created_at=utcnow(), **data))
        return competitor
    return _save_competitor(uow, apply)
