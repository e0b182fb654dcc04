"""Reads of the pipeline: stages, opportunities, the weighted forecast, competitors."""
from decimal import Decimal

from sqlalchemy import String, cast, func, select

from crm_common import stars, teams
from crm_common.errors import InvalidInput, NotFound
from crm_common.money import CENT
from crm_common.pagination import ListQuery, keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, is_uuid, utcnow
from crm_common.validation import load_query
from crm_sales.db import STARS, TEAM
from crm_sales.pipeline.models import Competitor, Opportunity, OpportunityStage, OpportunityStageEntry
from crm_sales.pipeline.rules import time_in_stages
from crm_sales.pipeline.schemas import (CompetitorListQuery, CompetitorOut, ForecastOut, ForecastQuery,
                                        OpportunityListQuery, OpportunityOut, StageHistoryOut, StageOut)

SORTS = {"created_at": Opportunity.created_at, "expected_close_date": Opportunity.expected_close_date}
STAGE_SORTS = {"position": OpportunityStage.position, "name": OpportunityStage.name,
               "created_at": OpportunityStage.created_at}
COMPETITOR_SORTS = {"name": Competitor.name, "created_at": Competitor.created_at}
STAR_KIND = TEAM_KIND = "opportunity"
READ, WRITE = "opportunities.read", "opportunities.write"
DAY = Decimal(86400)


# --- stages ------------------------------------------------------------------------------------

def find_stage(session, stage_id, field="stage_id") -> OpportunityStage:
    """A stage named in a body (`field`) that does not exist is invalid input; by id, a 404."""
    stage = session.get(OpportunityStage, str(stage_id)) if is_uuid(stage_id) else None
    if stage is None:
        raise NotFound("Stage not found") if field is None else InvalidInput(
            "Unknown stage", {field: ["No such stage."]})
    return stage


def first_stage_of(session, outcome: str) -> OpportunityStage | None:
    return session.execute(select(OpportunityStage).where(OpportunityStage.outcome == outcome)
                           .order_by(OpportunityStage.position).limit(1)).scalar_one_or_none()


def list_stages(uow, principal: Principal, query=None) -> dict:
    principal.require("opportunities.read")
    # paged like every list: head office merges the branches' pages by the sort it asks for
    q = load_query(ListQuery(), query)
    with uow:
        rows, cursor = keyset_page(uow.session, select(OpportunityStage), OpportunityStage.id, q, STAGE_SORTS,
                                   "position")
        return {"items": StageOut(many=True).dump(rows), "next_cursor": cursor}


# --- opportunities -----------------------------------------------------------------------------

def find(session, principal, opportunity_id, for_update=False) -> Opportunity:
    return get_in_scope(session, Opportunity, opportunity_id, principal, for_update=for_update,
                        team=(TEAM, TEAM_KIND))


def get(uow, principal: Principal, opportunity_id) -> dict:
    principal.require("opportunities.read")
    with uow:
        return OpportunityOut().dump(find(uow.session, principal, opportunity_id))


def visible(principal: Principal):
    """The opportunities the caller may see, as the list pages through them."""
    return select(Opportunity).where(scope_filter(principal, Opportunity))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("opportunities.read")
    q = load_query(OpportunityListQuery(), query)
    # the scope's index range and the memberships outside it, paged apart (crm_common.teams)
    halves = teams.either(principal, Opportunity, TEAM, TEAM_KIND)
    stmt = select(Opportunity) if halves else select(Opportunity).where(scope_filter(principal, Opportunity))
    if "status" in q:
        stmt = stmt.where(Opportunity.status == q["status"])
    for field in ("stage_id", "customer_id"):
        if field in q:
            stmt = stmt.where(getattr(Opportunity, field) == str(q[field]))
    if "starred" in q:
        stmt = stmt.where(stars.starred_filter(STARS, principal.user_id, STAR_KIND, Opportunity.id, q["starred"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Opportunity.id, q, SORTS, "-created_at", either=halves)
        items = OpportunityOut(many=True, exclude=("competitor_quotes",)).dump(rows)
        return {"items": stars.mark(uow.session, STARS, principal.user_id, STAR_KIND, items), "next_cursor": cursor}


def stage_history(uow, principal: Principal, opportunity_id) -> dict:
    """Each stay of the opportunity in a stage, oldest first, with the time spent there (issue 17)."""
    principal.require("opportunities.read")
    with uow:
        opportunity = find(uow.session, principal, opportunity_id)
        rows = uow.session.execute(
            select(OpportunityStageEntry, OpportunityStage)
            .join(OpportunityStage, OpportunityStage.id == OpportunityStageEntry.stage_id)
            .where(OpportunityStageEntry.opportunity_id == opportunity.id)
            .order_by(OpportunityStageEntry.entered_at, OpportunityStageEntry.id)).all()
    stays, per_stage = time_in_stages([(e.stage_id, e.entered_at, e.left_at) for e, _ in rows], utcnow())
    stages = {s.id: s for _, s in rows}
    items = [{"stage_id": e.stage_id, "stage_name": s.name, "outcome": s.outcome, "entered_at": e.entered_at,
              "left_at": e.left_at, "seconds": seconds, "days": Decimal(seconds) / DAY}
             for (e, s), seconds in zip(rows, stays, strict=True)]
    by_stage = [{"stage_id": stage_id, "stage_name": stages[stage_id].name, "seconds": seconds,
                 "days": Decimal(seconds) / DAY}
                for stage_id, seconds in sorted(per_stage.items(), key=lambda kv: stages[kv[0]].position)]
    return StageHistoryOut().dump({"opportunity_id": opportunity.id, "items": items, "by_stage": by_stage})


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


# --- competitors (market knowledge shared by the branch: no data scope) --------------------------

def find_competitor(session, competitor_id, for_update=False) -> Competitor:
    found = session.get(Competitor, str(competitor_id), with_for_update=for_update) if is_uuid(competitor_id) else None
    if found is None:
        raise NotFound("Competitor not found")
    return found


def get_competitor(uow, principal: Principal, competitor_id) -> dict:
    principal.require("opportunities.read")
    with uow:
        return CompetitorOut().dump(find_competitor(uow.session, competitor_id))


def list_competitors(uow, principal: Principal, query) -> dict:
    principal.require("opportunities.read")
    q = load_query(CompetitorListQuery(), query)
    stmt = select(Competitor)
    if "name" in q:
        stmt = stmt.where(Competitor.name.contains(q["name"], autoescape=True))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Competitor.id, q, COMPETITOR_SORTS, "name")
        return {"items": CompetitorOut(many=True, exclude=("activities",)).dump(rows), "next_cursor": cursor}
