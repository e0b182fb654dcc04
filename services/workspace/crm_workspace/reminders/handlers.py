"""What other services' events put on someone's to-do list; each handler runs in the event's unit
of work."""
from crm_common.events.handlers import handles
from crm_common.records import utcnow
from crm_workspace.reminders import rules, use_cases


class RemindersHandlers:
    @handles("finance.receivable_overdue")
    def on_receivable_overdue(self, uow, envelope, data):
        use_cases.add_from_event(uow, rules.receivable_overdue(data, utcnow()))

    @handles("customers.important_date_upcoming")
    def on_important_date(self, uow, envelope, data):
        use_cases.add_from_event(uow, rules.important_date(data, utcnow()))

    @handles("sales.contract_expiring")
    def on_contract_expiring(self, uow, envelope, data):
        use_cases.add_from_event(uow, rules.contract_expiring(data, utcnow()))
