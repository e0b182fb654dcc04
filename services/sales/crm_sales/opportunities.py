"""Use cases for opportunities (SAL-03): configurable stages, won/lost with reason, competitor
quotes, and the weighted forecast (expected amount × probability) per owner, department or month."""
from decimal import Decimal

from sqlalchemy import String, cast, func, select
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_common.pagination import ListQuery, keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, is_uuid, ownership_of, utcnow
from crm_common.validation import load_body, load_query
from crm_sales.opportunity_models import Competitor, CompetitorQuote, Opportunity, OpportunityStage
from crm_sales.opportunity_schemas import (CloseIn, CompetitorQuoteIn, ForecastOut, ForecastQuery, MoveIn,
                                           OpportunityIn, OpportunityListQuery, OpportunityOut, StageIn, StageOut)
from crm_sales.clients import visible_customer

SORTS = {"created_at": Opportunity.created_at, "expected_close_date": Opportunity.expected_close_date}
STAGE_SORTS = {"position": OpportunityStage.position, "name": OpportunityStage.name,
               "created_at": OpportunityStage.created_at}
CENT = Decimal("0.01")


# --- stages (admin configuration) ---------------------------------------------------------

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
        stage = _stage(uow.session, stage_id, field=None)
        for key, value in data.items():
            setattr(stage, key, value)
        uow.session.flush()
        return StageOut().dump(stage)


def list_stages(uow, principal: Principal, query=None) -> dict:
    principal.require("opportunities.read")
    # paged like every list: head office merges the branches' pages by the sort it asks for
    q = load_query(ListQuery(), query)
    with uow:
        rows, cursor = keyset_page(uow.session, select(OpportunityStage), OpportunityStage.id, q, STAGE_SORTS,
                                   "position")
        return {"items": StageOut(many=True).dump(rows), "next_cursor": cursor}


def _stage(session, stage_id, field="stage_id") -> OpportunityStage:
    stage = session.get(OpportunityStage, str(stage_id)) if is_uuid(stage_id) else None
    if stage is None:
        raise NotFound("Stage not found") if field is None else InvalidInput(
            "Unknown stage", {field: ["No such stage."]})
    return stage


# --- opportunities ----------------------------------------------------------------------------

def create(uow, principal: Principal, payload, customer_lookup) -> dict:
    principal.require("opportunities.write")
    data = load_body(OpportunityIn(), payload)
    customer = visible_customer(customer_lookup, data["customer_id"])
    with uow:
        stage = _stage(uow.session, data["stage_id"])
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
        return OpportunityOut().dump(opportunity)


def _open(session, principal, opportunity_id) -> Opportunity:
    opportunity = get_in_scope(session, Opportunity, opportunity_id, principal, for_update=True)
    if opportunity.status != "open":
        raise Conflict(f"The opportunity is already {opportunity.status}")
    return opportunity


def move(uow, principal: Principal, opportunity_id, payload) -> dict:
    principal.require("opportunities.write")
    data = load_body(MoveIn(), payload)
    with uow:
        opportunity = _open(uow.session, principal, opportunity_id)
        stage = _stage(uow.session, data["stage_id"])
        if stage.outcome != "open":
            raise InvalidInput("Invalid stage", {"stage_id": ["Use win or lose to close an opportunity."]})
        opportunity.stage_id = stage.id
        opportunity.probability = data.get("probability", stage.probability)
        return OpportunityOut().dump(opportunity)


def _close(outcome: str):
    def use_case(uow, principal: Principal, opportunity_id, payload) -> dict:
        principal.require("opportunities.write")
        data = load_body(CloseIn(), payload)
        with uow:
            opportunity = _open(uow.session, principal, opportunity_id)
            stage = uow.session.execute(select(OpportunityStage).where(OpportunityStage.outcome == outcome)
                                        .order_by(OpportunityStage.position).limit(1)).scalar_one_or_none()
            if stage is not None:
                opportunity.stage_id = stage.id
            opportunity.status, opportunity.close_reason, opportunity.closed_at = outcome, data["reason"], utcnow()
            opportunity.probability = Decimal("100.00") if outcome == "won" else Decimal("0.00")
            return OpportunityOut().dump(opportunity)
    return use_case


win, lose = _close("won"), _close("lost")


def add_competitor_quote(uow, principal: Principal, opportunity_id, payload) -> dict:
    principal.require("opportunities.write")
    data = load_body(CompetitorQuoteIn(), payload)
    with uow:
        opportunity = get_in_scope(uow.session, Opportunity, opportunity_id, principal, for_update=True)
        if uow.session.get(Competitor, str(data["competitor_id"])) is None:
            raise InvalidInput("Unknown competitor", {"competitor_id": ["No such competitor."]})
        opportunity.competitor_quotes.append(CompetitorQuote(
            id=new_id(), competitor_id=str(data["competitor_id"]), amount=data["amount"],
            currency=data["currency"], notes=data.get("notes"), created_at=utcnow()))
        uow.session.flush()
        return OpportunityOut().dump(opportunity)


def get(uow, principal: Principal, opportunity_id) -> dict:
    principal.require("opportunities.read")
    with uow:
        return OpportunityOut().dump(get_in_scope(uow.session, Opportunity, opportunity_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("opportunities.read")
    q = load_query(OpportunityListQuery(), query)
    stmt = select(Opportunity).where(scope_filter(principal, Opportunity))
    if "status" in q:
        stmt = stmt.where(Opportunity.status == q["status"])
    for field in ("stage_id", "customer_id"):
        if field in q:
            stmt = stmt.where(getattr(Opportunity, field) == str(q[field]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Opportunity.id, q, SORTS, "-created_at")
        return {"items": OpportunityOut(many=True, exclude=("competitor_quotes",)).dump(rows),
                "next_cursor": cursor}


def forecast(uow, principal: Principal, query) -> dict:
    """Open opportunities in the caller's scope, grouped; weighted = Σ expected amount × probability."""
    principal.require("opportunities.read")
    q = load_query(ForecastQuery(), query)
    key = {"owner": cast(Opportunity.owner_id, String),
           "department": Opportunity.department_path,
           "month": func.to_char(Opportunity.expected_close_date, "YYYY-MM")}[q["group_by"]]
    stmt = (select(key.label("key"), func.count(), func.sum(Opportunity.expected_amount),
                   func.sum(Opportunity.expected_amount * Opportunity.probability / 100))
            .where(scope_filter(principal, Opportunity), Opportunity.status == "open",
                   Opportunity.currency == q["currency"])
            .group_by(key).order_by(key))
    with uow:
        rows = uow.session.execute(stmt).all()
    return ForecastOut().dump({"group_by": q["group_by"], "currency": q["currency"], "items": [
        {"key": k, "count": n, "expected_total": Decimal(total).quantize(CENT),
         "weighted_total": Decimal(weighted).quantize(CENT)} for k, n, total, weighted in rows]})
