"""The notification inbox (WSP-08): thin entrypoints over the area's use cases and queries."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_workspace.notifications import queries, use_cases
from crm_workspace.notifications.schemas import (NotificationListQuery, NotificationOut, NotificationReadOut,
                                                 UnreadCountOut)


class NotificationsEntrypoints:
    @rpc
    @api(query=NotificationListQuery, returns=NotificationOut, page=True)
    def list_notifications(self, query=None):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=UnreadCountOut)
    def unread_notification_count(self):
        return queries.unread_count(self.uow(), self.principal)

    @rpc
    @api(returns=NotificationReadOut)
    def mark_notification_read(self, notification_id):
        return use_cases.mark_read(self.uow(), self.principal, notification_id)
