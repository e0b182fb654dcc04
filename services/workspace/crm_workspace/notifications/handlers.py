"""What other services' events put in the inbox; each handler runs in the event's unit of work
(a redelivered event is skipped there), and each notification names its fact (`fact_key`), so
an emitter that sends the same fact again tells nobody twice."""
from crm_common.branch_time import zone
from crm_common.events.handlers import handles
from crm_workspace.notifications import rules, use_cases


class NotificationsHandlers:
    @handles("sales.approval_requested")
    def on_approval_requested(self, uow, envelope, data):
        use_cases.approval_requested(uow, data)

    @handles("sales.approval_decided")
    def on_approval_decided(self, uow, envelope, data):
        use_cases.approval_ended(uow, data, data["outcome"])

    @handles("sales.approval_withdrawn")
    def on_approval_withdrawn(self, uow, envelope, data):
        use_cases.approval_ended(uow, data, "withdrawn")

    @handles("finance.receivable_opened")
    def on_receivable_opened(self, uow, envelope, data):
        use_cases.add(uow, rules.receivable_opened(data))

    @handles("customers.owner_changed")
    def on_owner_changed(self, uow, envelope, data):
        use_cases.add(uow, rules.owner_changed(data, envelope["event_id"]))

    @handles("customers.recycle_warning")
    def on_recycle_warning(self, uow, envelope, data):
        use_cases.add(uow, rules.recycle_warning(data, envelope["occurred_at"], zone()))

    @handles("customers.handover_started")
    def on_handover_received(self, uow, envelope, data):
        use_cases.add(uow, rules.handover_received(data))

    @handles("customers.extension_decided")
    def on_extension_decided(self, uow, envelope, data):
        use_cases.add(uow, rules.extension_decided(data))

    @handles("customers.complaint_assigned")
    def on_complaint_assigned(self, uow, envelope, data):
        use_cases.add(uow, rules.complaint_assigned(data, envelope["event_id"]))

    @handles("logistics.field_service_dispatched")
    def on_field_service_dispatched(self, uow, envelope, data):
        use_cases.add(uow, rules.field_service_dispatched(data, envelope["event_id"]))

    @handles("logistics.field_service_feedback_overdue")
    def on_field_service_feedback_overdue(self, uow, envelope, data):
        use_cases.add(uow, rules.field_service_feedback_overdue(data, zone()))
