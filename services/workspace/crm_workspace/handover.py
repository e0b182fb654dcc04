"""What a departing user hands over on the desk (crm_common.handovers): the calendar entries
not yet over. Past entries stay theirs (what they did), and so do personal reminders."""
from crm_workspace.calendar.models import CalendarEvent


def handed_over(now) -> dict:
    return {"calendar_events": (CalendarEvent, [CalendarEvent.ends_at >= now])}
