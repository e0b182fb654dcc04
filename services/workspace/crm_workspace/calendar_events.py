"""Use cases for the calendar (WSP-02): day/week/month views, department sharing, iCalendar."""
from datetime import timedelta

from sqlalchemy import and_, or_, select

from crm_common.database import new_id
from crm_common.errors import BadRequest, InvalidInput
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, ownership_of, utcnow
from crm_common.validation import load_body, load_query
from crm_workspace import ical, periods
from crm_workspace.models_desk import CalendarEvent
from crm_workspace.lookup import apply_patch, find_visible
from crm_workspace.schemas_desk import (CalendarEventIn, CalendarEventOut, CalendarQuery, CalendarRangeOut,
                                        span_problem)

MAX_EVENTS = 1000  # a bounded range; more than this in 62 days is not a calendar any more
FEED_PAST, FEED_FUTURE = timedelta(days=30), timedelta(days=180)


def visible_to(principal: Principal):
    """Within the caller's data scope, or shared with the caller's own department."""
    shared = and_(CalendarEvent.shared.is_(True), CalendarEvent.branch == principal.branch,
                  CalendarEvent.department_path == principal.department_path)
    return or_(scope_filter(principal, CalendarEvent), shared)


def _overlapping(start, end):
    return and_(CalendarEvent.starts_at < end,
                or_(CalendarEvent.ends_at > start, CalendarEvent.starts_at >= start))


def create(uow, principal: Principal, payload) -> dict:
    principal.require("calendar.use")
    data = load_body(CalendarEventIn(), payload)
    with uow:
        event = CalendarEvent(id=new_id(), **ownership_of(principal), **data)
        uow.session.add(event)
        uow.session.flush()
        return CalendarEventOut().dump(event)


def get(uow, principal: Principal, event_id) -> dict:
    principal.require("calendar.use")
    with uow:
        return CalendarEventOut().dump(
            find_visible(uow.session, CalendarEvent, event_id, visible_to(principal), label="Event"))


def update(uow, principal: Principal, event_id, payload) -> dict:
    """Only the owner's scope may change an event; department members only see shared ones."""
    principal.require("calendar.use")
    with uow:
        event = get_in_scope(uow.session, CalendarEvent, event_id, principal, for_update=True)
        data = load_body(CalendarEventIn(), payload, partial=True)
        problem = span_problem(data.get("starts_at", event.starts_at), data.get("ends_at", event.ends_at))
        if problem:
            raise InvalidInput("Validation failed", {"ends_at": [problem]})
        apply_patch(event, data)
        uow.session.flush()
        return CalendarEventOut().dump(event)


def delete(uow, principal: Principal, event_id) -> None:
    principal.require("calendar.use")
    with uow:
        uow.session.delete(get_in_scope(uow.session, CalendarEvent, event_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("calendar.use")
    q = load_query(CalendarQuery(), query)
    try:
        if "view" in q:
            start, end = periods.view_range(q["view"], q.get("date") or utcnow().date())
        else:
            start, end = periods.explicit_range(q["from_"], q["to"])
    except periods.RangeError as exc:
        raise BadRequest("Invalid calendar range", {"range": [str(exc)]}) from None
    stmt = select(CalendarEvent).where(visible_to(principal), _overlapping(start, end))
    if q["mine"]:
        stmt = stmt.where(CalendarEvent.owner_id == principal.user_id)
    with uow:
        rows = uow.session.execute(stmt.order_by(CalendarEvent.starts_at, CalendarEvent.id)
                                   .limit(MAX_EVENTS)).scalars().all()
        return CalendarRangeOut().dump({"from_": start, "to": end, "items": rows})


def feed(uow, principal: Principal) -> str:
    """The iCalendar text of what the caller sees, a month back to half a year ahead."""
    principal.require("calendar.use")
    now = utcnow()
    stmt = select(CalendarEvent).where(visible_to(principal),
                                       _overlapping(now - FEED_PAST, now + FEED_FUTURE))
    with uow:
        rows = uow.session.execute(stmt.order_by(CalendarEvent.starts_at).limit(MAX_EVENTS)).scalars().all()
        return ical.calendar(rows, now)
