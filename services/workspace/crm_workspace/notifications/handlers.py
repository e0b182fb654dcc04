"""What other services' events put in the inbox; each handler runs in the event's unit of work."""
from crm_common.events.handlers import handles
from crm_workspace.notifications import rules, use_cases


class NotificationsHandlers:
    @handles("sales.approval_requested")
    def on_approval_requested(self, uow, envelope, data):
        use_cases.add(uow, rules.approval_requested(data))

    @handles("finance.receivable_opened")
    def on_receivable_opened(self, uow, envelope, data):
        use_cases.add(uow, rules.receivable_opened(data))
