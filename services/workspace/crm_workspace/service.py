"""Nameko entrypoints of the workspace service: thin wrappers over the use cases."""
from nameko.rpc import rpc

from crm_common.events.handlers import handles
from crm_common.outbox import UnitOfWorkProvider
from crm_common.service_base import ServiceBase
from crm_workspace import announcements, messages, notifications


class WorkspaceService(ServiceBase):
    name = "workspace"
    uow = UnitOfWorkProvider()

    @rpc
    def create_announcement(self, payload):
        return announcements.create(self.uow(), self.principal, payload)

    @rpc
    def list_announcements(self, query=None):
        return announcements.list_(self.uow(), self.principal, query)

    @rpc
    def get_announcement(self, announcement_id):
        return announcements.get(self.uow(), self.principal, announcement_id)

    @rpc
    def mark_announcement_read(self, announcement_id):
        return announcements.mark_read(self.uow(), self.principal, announcement_id)

    @rpc
    def announcement_read_receipts(self, announcement_id):
        return announcements.read_receipts(self.uow(), self.principal, announcement_id)

    @rpc
    def list_notifications(self, query=None):
        return notifications.list_(self.uow(), self.principal, query)

    @rpc
    def unread_notification_count(self):
        return notifications.unread_count(self.uow(), self.principal)

    @rpc
    def mark_notification_read(self, notification_id):
        return notifications.mark_read(self.uow(), self.principal, notification_id)

    @handles("sales.approval_requested")
    def on_approval_requested(self, uow, envelope, data):
        notifications.add(uow, messages.approval_requested(data))

    @handles("sales.contract_expiring")
    def on_contract_expiring(self, uow, envelope, data):
        notifications.add(uow, messages.contract_expiring(data))

    @handles("finance.receivable_opened")
    def on_receivable_opened(self, uow, envelope, data):
        notifications.add(uow, messages.receivable_opened(data))
