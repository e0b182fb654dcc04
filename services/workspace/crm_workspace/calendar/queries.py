"""Reads of the calendar: day/week/month views, one event, the iCalendar feed."""
from datetime import timedelta

from sqlalchemy import and_, or_, select

from crm_common.errors import BadRequest
from crm_common.principal import Principal, scope_filter
from crm_common import branch_time
from crm_common.records import utcnow
from crm_common.validation import load_query
from crm_workspace.calendar import rules
from crm_workspace.calendar.models import CalendarEvent
from crm_workspace.calendar.schemas import CalendarEventOut, CalendarQuery, CalendarRangeOut
from crm_workspace.db import find_visible

MAX_EVENTS = 1000  # a bounded range; more than this in 62 days is not a calendar any more
FEED_PAST, FEED_FUTURE = timedelta(days=30), timedelta(days=180)


def visible_to(principal: Principal):
    """Within the caller's data scope, or shared with the caller's own department."""
    shared = and_(CalendarEvent.shared.is_(True), CalendarEvent.branch == principal.branch,
                  CalendarEvent.department_path == principal.department_path)
    return or_(scope_filter(principal, CalendarEvent), shared)


def overlapping(start, end):
    return and_(CalendarEvent.starts_at < end,
                or_(CalendarEvent.ends_at > start, CalendarEvent.starts_at >= start))


def get(uow, principal: Principal, event_id) -> dict:
    principal.require("calendar.use")
    with uow:
        return CalendarEventOut().dump(
            find_visible(uow.session, CalendarEvent, event_id, visible_to(principal), label="Event"))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("calendar.use")
    q = load_query(CalendarQuery(), query)
    try:
        if "view" in q:
            zone = branch_time.zone()
            start, end = rules.view_range(q["view"], q.get("date") or branch_time.current_day(), zone)
        else:
            start, end = rules.explicit_range(q["from_"], q["to"])
    except rules.RangeError as exc:
        raise BadRequest("Invalid calendar range", {"range": [str(exc)]}) from None
    stmt = select(CalendarEvent).where(visible_to(principal), overlapping(start, end))
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
                                       overlapping(now - FEED_PAST, now + FEED_FUTURE))
    with uow:
        rows = uow.session.execute(stmt.order_by(CalendarEvent.starts_at).limit(MAX_EVENTS)).scalars().all()
        return rules.icalendar(rows, now, branch_time.zone())
