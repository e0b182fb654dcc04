"""Nameko entrypoints of the workspace service: thin wrappers over the use cases."""
import logging
import os

import eventlet
from nameko.rpc import RpcProxy
from nameko.timer import timer

from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.outbox import UnitOfWorkProvider
from crm_common.pagination import ListQuery
from crm_common.records import utcnow
from crm_common.customer_merges import FollowsCustomerMerges
from crm_common.service_base import ServiceBase, rpc
from crm_common.validation import NoInput
from crm_workspace.models import Base
from crm_workspace import (announcements, articles, calendar_events, calls, categories, dashboard, diary,
                           documents, event_reminders, messages, notifications, reminders, sms,
                           sms_providers, work_orders)
from crm_workspace.schemas import (AnnouncementIn, AnnouncementOut, AnnouncementReadOut, DashboardOut,
                                   NotificationListQuery, NotificationOut, NotificationReadOut, ReceiptOut,
                                   UnreadCountOut)
from crm_workspace.schemas_calls import (ArticleIn, ArticleOut, ArticleQuery, CallHandleIn, CallIn, CallOut,
                                         CallQuery, CallStatisticsOut, CategoryIn, CategoryOut, CategoryQuery,
                                         StatsQuery, WorkOrderCloseIn, WorkOrderIn, WorkOrderOut, WorkOrderQuery)
from crm_workspace.schemas_desk import (CalendarEventIn, CalendarEventOut, CalendarQuery, CalendarRangeOut,
                                        DateRangeQuery, DiaryEntryIn, DiaryEntryOut, PlanDetailOut, PlanIn,
                                        PlanOut, PlanQuery, PlanRecordIn, PlanRecordOut, ReminderIn, ReminderOut, ReminderQuery)
from crm_workspace.schemas_library import (DocumentOut, DocumentQuery, OptOutIn, OptOutOut, ShareIn, ShareOut,
                                           SmsIn, SmsOut, SmsQuery)

log = logging.getLogger(__name__)
REMINDER_TICK_SECONDS = float(os.environ.get("CRM_REMINDER_TICK_SECONDS", "5"))
LOOKUP_TIMEOUT_SECONDS = 3


class WorkspaceService(FollowsCustomerMerges, ServiceBase):
    name = "workspace"
    customer_tables = Base.metadata  # re-pointed when customers are merged
    uow = UnitOfWorkProvider()
    customers = RpcProxy("customers")

    def _who_is_calling(self, phone):
        """A call is logged even when customers is slow or down: the match is a convenience."""
        try:
            with eventlet.Timeout(LOOKUP_TIMEOUT_SECONDS):
                return self.customers.find_by_phone(phone)
        except (Exception, eventlet.Timeout) as exc:
            log.warning("phone lookup in customers failed (%s); call logged unmatched", type(exc).__name__)
            return None

    # announcements (WSP-01)
    @rpc
    @api(body=AnnouncementIn, returns=AnnouncementOut)
    def create_announcement(self, payload):
        return announcements.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=ListQuery, returns=AnnouncementOut, page=True)
    def list_announcements(self, query=None):
        return announcements.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=AnnouncementOut)
    def get_announcement(self, announcement_id):
        return announcements.get(self.uow(), self.principal, announcement_id)

    @rpc
    @api(returns=AnnouncementReadOut)
    def mark_announcement_read(self, announcement_id):
        return announcements.mark_read(self.uow(), self.principal, announcement_id)

    @rpc
    @api(returns=ReceiptOut, many=True)
    def announcement_read_receipts(self, announcement_id):
        return announcements.read_receipts(self.uow(), self.principal, announcement_id)

    # calendar (WSP-02)
    @rpc
    @api(body=CalendarEventIn, returns=CalendarEventOut)
    def create_calendar_event(self, payload):
        return calendar_events.create(self.uow(), self.principal, payload)

    @rpc
    @api(returns=CalendarEventOut)
    def get_calendar_event(self, event_id):
        return calendar_events.get(self.uow(), self.principal, event_id)

    @rpc
    @api(body=CalendarEventIn, partial=True, returns=CalendarEventOut)
    def update_calendar_event(self, event_id, payload):
        return calendar_events.update(self.uow(), self.principal, event_id, payload)

    @rpc
    @api()
    def delete_calendar_event(self, event_id):
        calendar_events.delete(self.uow(), self.principal, event_id)

    @rpc
    @api(query=CalendarQuery, returns=CalendarRangeOut)
    def list_calendar_events(self, query=None):
        return calendar_events.list_(self.uow(), self.principal, query)

    @rpc
    def calendar_feed(self):
        return calendar_events.feed(self.uow(), self.principal)

    # categories, calls and work orders (WSP-03)
    @rpc
    @api(body=CategoryIn, returns=CategoryOut)
    def create_category(self, payload):
        return categories.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=CategoryQuery, returns=CategoryOut, page=True)
    def list_categories(self, query=None):
        return categories.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=CallIn, returns=CallOut)
    def create_call(self, payload):
        return calls.create(self.uow(), self.principal, payload, self._who_is_calling)

    @rpc
    @api(returns=CallOut)
    def get_call(self, call_id):
        return calls.get(self.uow(), self.principal, call_id)

    @rpc
    @api(query=CallQuery, returns=CallOut, page=True)
    def list_calls(self, query=None):
        return calls.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=CallHandleIn, returns=CallOut)
    def handle_call(self, call_id, payload):
        return calls.handle(self.uow(), self.principal, call_id, payload)

    @rpc
    @api(body=WorkOrderIn, returns=WorkOrderOut)
    def create_work_order(self, payload):
        return work_orders.create(self.uow(), self.principal, payload)

    @rpc
    @api(returns=WorkOrderOut)
    def get_work_order(self, order_id):
        return work_orders.get(self.uow(), self.principal, order_id)

    @rpc
    @api(query=WorkOrderQuery, returns=WorkOrderOut, page=True)
    def list_work_orders(self, query=None):
        return work_orders.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=WorkOrderCloseIn, returns=WorkOrderOut)
    def close_work_order(self, order_id, payload):
        return work_orders.close(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(query=StatsQuery, returns=CallStatisticsOut)
    def call_statistics(self, query=None):
        return work_orders.statistics(self.uow(), self.principal, query)

    # knowledge base (WSP-04)
    @rpc
    @api(body=ArticleIn, returns=ArticleOut)
    def create_article(self, payload):
        return articles.create(self.uow(), self.principal, payload)

    @rpc
    @api(returns=ArticleOut)
    def get_article(self, article_id):
        return articles.get(self.uow(), self.principal, article_id)

    @rpc
    @api(body=ArticleIn, partial=True, returns=ArticleOut)
    def update_article(self, article_id, payload):
        return articles.update(self.uow(), self.principal, article_id, payload)

    @rpc
    @api(query=ArticleQuery, returns=ArticleOut, page=True)
    def list_articles(self, query=None):
        return articles.list_(self.uow(), self.principal, query)

    # diary and plans (WSP-05)
    @rpc
    @api(body=DiaryEntryIn, returns=DiaryEntryOut)
    def create_diary_entry(self, payload):
        return diary.create_entry(self.uow(), self.principal, payload)

    @rpc
    @api(returns=DiaryEntryOut)
    def get_diary_entry(self, entry_id):
        return diary.get_entry(self.uow(), self.principal, entry_id)

    @rpc
    @api(body=DiaryEntryIn, partial=True, returns=DiaryEntryOut)
    def update_diary_entry(self, entry_id, payload):
        return diary.update_entry(self.uow(), self.principal, entry_id, payload)

    @rpc
    @api(query=DateRangeQuery, returns=DiaryEntryOut, page=True)
    def list_diary_entries(self, query=None):
        return diary.list_entries(self.uow(), self.principal, query)

    @rpc
    @api(body=PlanIn, returns=PlanDetailOut)
    def create_plan(self, payload):
        return diary.create_plan(self.uow(), self.principal, payload)

    @rpc
    @api(returns=PlanDetailOut)
    def get_plan(self, plan_id):
        return diary.get_plan(self.uow(), self.principal, plan_id)

    @rpc
    @api(query=PlanQuery, returns=PlanOut, page=True)
    def list_plans(self, query=None):
        return diary.list_plans(self.uow(), self.principal, query)

    @rpc
    @api(body=PlanRecordIn, returns=PlanRecordOut)
    def add_plan_record(self, plan_id, payload):
        return diary.add_record(self.uow(), self.principal, plan_id, payload)

    # documents (WSP-06): metadata only, the gateway moves the bytes
    @rpc
    def register_document(self, payload):
        return documents.register(self.uow(), self.principal, payload)

    @rpc
    @api(returns=DocumentOut)
    def get_document(self, document_id):
        return documents.get(self.uow(), self.principal, document_id)

    @rpc
    def open_document(self, document_id):
        return documents.open_for_download(self.uow(), self.principal, document_id)

    @rpc
    @api(query=DocumentQuery, returns=DocumentOut, page=True)
    def list_documents(self, query=None):
        return documents.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=ShareIn, returns=ShareOut, many=True)
    def share_document(self, document_id, payload):
        return documents.share(self.uow(), self.principal, document_id, payload)

    @rpc
    def delete_document(self, document_id):
        return documents.delete(self.uow(), self.principal, document_id)

    # reminders (WSP-07)
    @rpc
    @api(body=ReminderIn, returns=ReminderOut)
    def create_reminder(self, payload):
        return reminders.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=ReminderQuery, returns=ReminderOut, page=True)
    def list_reminders(self, query=None):
        return reminders.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=NoInput, returns=ReminderOut)
    def complete_reminder(self, reminder_id, payload):
        return reminders.complete(self.uow(), self.principal, reminder_id, payload)

    @timer(interval=REMINDER_TICK_SECONDS)
    def fire_due_reminders(self):
        reminders.fire_due(self.uow())

    # notifications (WSP-08)
    @rpc
    @api(query=NotificationListQuery, returns=NotificationOut, page=True)
    def list_notifications(self, query=None):
        return notifications.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=UnreadCountOut)
    def unread_notification_count(self):
        return notifications.unread_count(self.uow(), self.principal)

    @rpc
    @api(returns=NotificationReadOut)
    def mark_notification_read(self, notification_id):
        return notifications.mark_read(self.uow(), self.principal, notification_id)

    # SMS (WSP-09)
    @rpc
    @api(body=SmsIn, returns=SmsOut)
    def send_sms(self, payload):
        return sms.send(self.uow(), self.principal, payload, sms_providers.configured())

    @rpc
    @api(query=SmsQuery, returns=SmsOut, page=True)
    def list_sms(self, query=None):
        return sms.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=OptOutIn, returns=OptOutOut)
    def add_sms_opt_out(self, payload):
        return sms.add_opt_out(self.uow(), self.principal, payload)

    @rpc
    @api(query=ListQuery, returns=OptOutOut, page=True)
    def list_sms_opt_outs(self, query=None):
        return sms.list_opt_outs(self.uow(), self.principal, query)

    @rpc
    @api()
    def remove_sms_opt_out(self, phone):
        sms.remove_opt_out(self.uow(), self.principal, phone)

    # dashboard (WSP-10)
    @rpc
    @api(returns=DashboardOut)
    def dashboard(self):
        return dashboard.summary(self.uow(), self.principal)

    # events
    @handles("sales.approval_requested")
    def on_approval_requested(self, uow, envelope, data):
        notifications.add(uow, messages.approval_requested(data))

    @handles("finance.receivable_opened")
    def on_receivable_opened(self, uow, envelope, data):
        notifications.add(uow, messages.receivable_opened(data))

    @handles("finance.receivable_overdue")
    def on_receivable_overdue(self, uow, envelope, data):
        reminders.add_from_event(uow, event_reminders.receivable_overdue(data, utcnow()))

    @handles("customers.important_date_upcoming")
    def on_important_date(self, uow, envelope, data):
        reminders.add_from_event(uow, event_reminders.important_date(data, utcnow()))

    @handles("sales.contract_expiring")
    def on_contract_expiring(self, uow, envelope, data):
        reminders.add_from_event(uow, event_reminders.contract_expiring(data, utcnow()))
