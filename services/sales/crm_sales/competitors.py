"""Use cases for competitors (SAL-04): profile, products, agents, branches, market activities.

Competitors are market knowledge shared by the branch (like products): no data scope; reading
needs `opportunities.read`, writing `competitors.write`.
"""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import is_uuid, utcnow
from crm_common.validation import load_body, load_query
from crm_sales.db import jsonable
from crm_sales.opportunity_models import Competitor, CompetitorActivity
from crm_sales.opportunity_schemas import ActivityIn, CompetitorIn, CompetitorListQuery, CompetitorOut

SORTS = {"name": Competitor.name, "created_at": Competitor.created_at}


def _find(session, competitor_id, for_update=False) -> Competitor:
    found = session.get(Competitor, str(competitor_id), with_for_update=for_update) if is_uuid(competitor_id) else None
    if found is None:
        raise NotFound("Competitor not found")
    return found


def _save(uow, apply) -> dict:
    try:
        with uow:
            competitor = apply(uow.session)
            uow.session.flush()
            return CompetitorOut().dump(competitor)
    except IntegrityError:
        raise Conflict("A competitor with this name exists", {"name": ["Already used."]}) from None


def create(uow, principal: Principal, payload) -> dict:
    principal.require("competitors.write")
    data = jsonable(load_body(CompetitorIn(), payload))

    def apply(session):
        competitor = Competitor(id=new_id(), activities=[], **data)
        session.add(competitor)
        return competitor
    return _save(uow, apply)


def update(uow, principal: Principal, competitor_id, payload) -> dict:
    principal.require("competitors.write")
    data = jsonable(load_body(CompetitorIn(), payload, partial=True))

    def apply(session):
        competitor = _find(session, competitor_id, for_update=True)
        for key, value in data.items():
            setattr(competitor, key, value)
        return competitor
    return _save(uow, apply)


def add_activity(uow, principal: Principal, competitor_id, payload) -> dict:
    principal.require("competitors.write")
    data = load_body(ActivityIn(), payload)

    def apply(session):
        competitor = _find(session, competitor_id, for_update=True)
        competitor.activities.append(CompetitorActivity(id=new_id(), reported_by=principal.user_id,
                                                        created_at=utcnow(), **data))
        return competitor
    return _save(uow, apply)


def get(uow, principal: Principal, competitor_id) -> dict:
    principal.require("opportunities.read")
    with uow:
        return CompetitorOut().dump(_find(uow.session, competitor_id))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("opportunities.read")
    q = load_query(CompetitorListQuery(), query)
    stmt = select(Competitor)
    if "name" in q:
        stmt = stmt.where(Competitor.name.contains(q["name"], autoescape=True))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Competitor.id, q, SORTS, "name")
        return {"items": CompetitorOut(many=True, exclude=("activities",)).dump(rows), "next_cursor": cursor}
