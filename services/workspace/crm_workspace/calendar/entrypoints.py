"""The calendar (WSP-02): thin entrypoints over the area's use cases and queries."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_workspace.calendar import queries, use_cases
from crm_workspace.calendar.schemas import CalendarEventIn, CalendarEventOut, CalendarQuery, CalendarRangeOut


class CalendarEntrypoints:
    @rpc
    @api(body=CalendarEventIn, returns=CalendarEventOut)
    def create_calendar_event(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(returns=CalendarEventOut)
    def get_calendar_event(self, event_id):
        return queries.get(self.uow(), self.principal, event_id)

    @rpc
    @api(body=CalendarEventIn, partial=True, returns=CalendarEventOut)
    def update_calendar_event(self, event_id, payload):
        return use_cases.update(self.uow(), self.principal, event_id, payload)

    @rpc
    @api()
    def delete_calendar_event(self, event_id):
        use_cases.delete(self.uow(), self.principal, event_id)

    @rpc
    @api(query=CalendarQuery, returns=CalendarRangeOut)
    def list_calendar_events(self, query=None):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    def calendar_feed(self):
        return queries.feed(self.uow(), self.principal)
