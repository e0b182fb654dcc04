"""Workspace service routes (WSP-*)."""
from crm_common.api_contract import Contract
from crm_gateway import calendar_feed
from crm_common.validation import load_body
from crm_gateway.api_schemas import AssigneeIn, FeedTokenOut
from crm_gateway.files import transfer
from crm_gateway.routes.base import Route, action, crud, resolved_user


def _assign_work_order(c):
    body = load_body(AssigneeIn(), c.body())
    return c.call("workspace", "assign_work_order", [
        c.params["id"], {"assignee": resolved_user(c, body["assignee_id"], "assignee_id")}])


ROUTES = [
    *crud("announcements", "workspace", "announcement", "announcements", sort="-published_at"),
    action("announcements", "withdraw", "announcements.write", "workspace.withdraw_announcement"),
    Route("POST", "/announcements/<id>/read", "announcements.read", rpc="workspace.mark_announcement_read"),
    Route("GET", "/announcements/<id>/read-receipts", "announcements.read",
          rpc="workspace.announcement_read_receipts"),
    Route("GET", "/notifications", "notifications.read", rpc="workspace.list_notifications", takes="query"),
    Route("GET", "/notifications/unread-count", "notifications.read",
          rpc="workspace.unread_notification_count"),
    Route("POST", "/notifications/<id>/read", "notifications.read", rpc="workspace.mark_notification_read"),
    # calendar (WSP-02)
    Route("GET", "/calendar/events", "calendar.use", rpc="workspace.list_calendar_events", takes="query",
          report=True),  # a day, week or month view, not a page
    Route("POST", "/calendar/events", "calendar.use", 201, "workspace.create_calendar_event", "body"),
    Route("GET", "/calendar/events/<id>", "calendar.use", rpc="workspace.get_calendar_event"),
    Route("PATCH", "/calendar/events/<id>", "calendar.use", rpc="workspace.update_calendar_event", takes="body"),
    Route("DELETE", "/calendar/events/<id>", "calendar.use", 204, "workspace.delete_calendar_event"),
    Route("POST", "/calendar/feed-token", "calendar.use", local=calendar_feed.feed_token,
          contract=Contract(returns=FeedTokenOut)),
    Route("GET", "/calendar/feed/<token>.ics", None, local=calendar_feed.feed, public=True,
          contract=Contract(media_type="text/calendar")),
    # categories, calls, work orders (WSP-03)
    Route("GET", "/categories", None, rpc="workspace.list_categories", takes="query", report=True),
    Route("POST", "/categories", "categories.write", 201, "workspace.create_category", "body"),
    *crud("calls", "workspace", "call", "calls", update=False, sort="-received_at"),
    action("calls", "handle", "calls.write", "workspace.handle_call"),
    Route("GET", "/call-statistics", "calls.read", rpc="workspace.call_statistics", takes="query", report=True),
    *crud("work-orders", "workspace", "work_order", "calls", update=False),
    action("work-orders", "close", "calls.write", "workspace.close_work_order"),
    Route("POST", "/work-orders/<id>/assign", "calls.write", local=_assign_work_order,
          contract=Contract(body=AssigneeIn, returns="workspace.assign_work_order")),
    # knowledge base (WSP-04)
    *crud("articles", "workspace", "article", "knowledge", sort="-updated_at"),
    # diary and plans (WSP-05)
    Route("GET", "/diary", "diary.use", rpc="workspace.list_diary_entries", takes="query", default_sort="-entry_date"),
    Route("POST", "/diary", "diary.use", 201, "workspace.create_diary_entry", "body"),
    Route("GET", "/diary/<id>", "diary.use", rpc="workspace.get_diary_entry"),
    Route("PATCH", "/diary/<id>", "diary.use", rpc="workspace.update_diary_entry", takes="body"),
    Route("GET", "/plans", "diary.use", rpc="workspace.list_plans", takes="query", default_sort="-period_start"),
    Route("POST", "/plans", "diary.use", 201, "workspace.create_plan", "body"),
    Route("GET", "/plans/<id>", "diary.use", rpc="workspace.get_plan"),
    Route("POST", "/plans/<id>/records", "diary.use", 201, "workspace.add_plan_record", "body"),
    # documents (WSP-06): bytes stream through the gateway, never over RabbitMQ
    Route("GET", "/documents", "documents.read", rpc="workspace.list_documents", takes="query"),
    Route("POST", "/documents", "documents.write", 201, local=transfer.upload, max_body=transfer.MAX_UPLOAD_BYTES,
          contract=Contract(query=transfer.UploadQuery, raw_body=True, returns="workspace.get_document")),
    Route("GET", "/documents/<id>", "documents.read", rpc="workspace.get_document"),
    Route("GET", "/documents/<id>/content", "documents.read", local=transfer.download,
          contract=Contract(media_type="*/*")),  # the document's own type
    Route("DELETE", "/documents/<id>", "documents.write", 204, local=transfer.delete, contract=Contract()),
    Route("POST", "/documents/<id>/shares", "documents.write", rpc="workspace.share_document", takes="body"),
    # reminders (WSP-07)
    Route("GET", "/reminders", "reminders.use", rpc="workspace.list_reminders", takes="query", default_sort="due_at"),
    Route("POST", "/reminders", "reminders.use", 201, "workspace.create_reminder", "body"),
    action("reminders", "done", "reminders.use", "workspace.complete_reminder"),
    # SMS (WSP-09)
    Route("GET", "/sms", "sms.read", rpc="workspace.list_sms", takes="query"),
    Route("POST", "/sms", "sms.send", 201, "workspace.send_sms", "body"),
    Route("GET", "/sms/opt-outs", "sms.optouts", rpc="workspace.list_sms_opt_outs", takes="query",
          default_sort="phone"),
    Route("POST", "/sms/opt-outs", "sms.optouts", 201, "workspace.add_sms_opt_out", "body"),
    Route("DELETE", "/sms/opt-outs/<id>", "sms.optouts", 204, "workspace.remove_sms_opt_out"),
    # home dashboard (WSP-10)
    Route("GET", "/dashboard", None, rpc="workspace.dashboard"),
]
