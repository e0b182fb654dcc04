"""The reminder centre (WSP-07): thin entrypoints over the area's use cases and queries, and the
timer that fires due reminders."""
import os

from nameko.timer import timer

from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_workspace.reminders import queries, use_cases
from crm_workspace.reminders.schemas import ReminderIn, ReminderOut, ReminderQuery

REMINDER_TICK_SECONDS = float(os.environ.get("CRM_REMINDER_TICK_SECONDS", "5"))


class RemindersEntrypoints:
    @rpc
    @api(body=ReminderIn, returns=ReminderOut)
    def create_reminder(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=ReminderQuery, returns=ReminderOut, page=True)
    def list_reminders(self, query=None):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=NoInput, returns=ReminderOut)
    def complete_reminder(self, reminder_id, payload):
        return use_cases.complete(self.uow(), self.principal, reminder_id, payload)

    @timer(interval=REMINDER_TICK_SECONDS)
    def fire_due_reminders(self):
        use_cases.fire_due(self.uow())
