"""Use cases of the calendar (WSP-02): an owner's events, shared with their department or not."""
from crm_common.database import new_id
from crm_common.errors import InvalidInput
from crm_common.principal import Principal
from crm_common.records import get_in_scope, ownership_of
from crm_common.validation import load_body
from crm_workspace.calendar.models import CalendarEvent
from crm_workspace.calendar.rules import span_problem
from crm_workspace.calendar.schemas import CalendarEventIn, CalendarEventOut
from crm_workspace.db import apply_patch


def create(uow, principal: Principal, payload) -> dict:
    principal.require("calendar.use")
    data = load_body(CalendarEventIn(), payload)
    with uow:
        event = CalendarEvent(id=new_id(), **ownership_of(principal), **data)
        uow.session.add(event)
        uow.session.flush()
        return CalendarEventOut().dump(event)


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
