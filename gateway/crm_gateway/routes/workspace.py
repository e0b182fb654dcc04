"""Workspace service routes (WSP-*)."""
from crm_gateway.routes.base import Route, crud

ROUTES = [
    *crud("announcements", "workspace", "announcement", "announcements", update=False),
    Route("POST", "/announcements/<id>/read", "announcements.read", rpc="workspace.mark_announcement_read"),
    Route("GET", "/announcements/<id>/read-receipts", "announcements.read",
          rpc="workspace.announcement_read_receipts"),
    Route("GET", "/notifications", "notifications.read", rpc="workspace.list_notifications", takes="query"),
    Route("GET", "/notifications/unread-count", "notifications.read",
          rpc="workspace.unread_notification_count"),
    Route("POST", "/notifications/<id>/read", "notifications.read", rpc="workspace.mark_notification_read"),
]
