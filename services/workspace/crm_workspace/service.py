"""Nameko entrypoints of the workspace service: thin wrappers over the use cases."""
import logging
import os

import eventlet
from nameko.rpc import RpcProxy
from nameko.timer import timer

from crm_common.events.handlers import handles
from crm_common.outbox import UnitOfWorkProvider
from crm_common.records import utcnow
from crm_common.customer_merges import FollowsCustomerMerges
from crm_common.service_base import ServiceBase, rpc
from crm_workspace.models import Base
from crm_workspace import (announcements, articles, calendar_events, calls, categories, dashboard, diary,
                           documents, event_reminders, messages, notifications, reminders, sms,
                           sms_providers, work_orders)

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

    # calendar (WSP-02)
    @rpc
    def create_calendar_event(self, payload):
        return calendar_events.create(self.uow(), self.principal, payload)

    @rpc
    def get_calendar_event(self, event_id):
        return calendar_events.get(self.uow(), self.principal, event_id)

    @rpc
    def update_calendar_event(self, event_id, payload):
        return calendar_events.update(self.uow(), self.principal, event_id, payload)

    @rpc
    def delete_calendar_event(self, event_id):
        calendar_events.delete(self.uow(), self.principal, event_id)

    @rpc
    def list_calendar_events(self, query=None):
        return calendar_events.list_(self.uow(), self.principal, query)

    @rpc
    def calendar_feed(self):
        return calendar_events.feed(self.uow(), self.principal)

    # categories, calls and work orders (WSP-03)
    @rpc
    def create_category(self, payload):
        return categories.create(self.uow(), self.principal, payload)

    @rpc
    def list_categories(self, query=None):
        return categories.list_(self.uow(), self.principal, query)

    @rpc
    def create_call(self, payload):
        return calls.create(self.uow(), self.principal, payload, self._who_is_calling)

    @rpc
    def get_call(self, call_id):
        return calls.get(self.uow(), self.principal, call_id)

    @rpc
    def list_calls(self, query=None):
        return calls.list_(self.uow(), self.principal, query)

    @rpc
    def handle_call(self, call_id, payload):
        return calls.handle(self.uow(), self.principal, call_id, payload)

    @rpc
    def create_work_order(self, payload):
        return work_orders.create(self.uow(), self.principal, payload)

    @rpc
    def get_work_order(self, order_id):
        return work_orders.get(self.uow(), self.principal, order_id)

    @rpc
    def list_work_orders(self, query=None):
        return work_orders.list_(self.uow(), self.principal, query)

    @rpc
    def close_work_order(self, order_id, payload):
        return work_orders.close(self.uow(), self.principal, order_id, payload)

    @rpc
    def call_statistics(self, query=None):
        return work_orders.statistics(self.uow(), self.principal, query)

    # knowledge base (WSP-04)
    @rpc
    def create_article(self, payload):
        return articles.create(self.uow(), self.principal, payload)

    @rpc
    def get_article(self, article_id):
        return articles.get(self.uow(), self.principal, article_id)

    @rpc
    def update_article(self, article_id, payload):
        return articles.update(self.uow(), self.principal, article_id, payload)

    @rpc
    def list_articles(self, query=None):
        return articles.list_(self.uow(), self.principal, query)

    # diary and plans (WSP-05)
    @rpc
    def create_diary_entry(self, payload):
        return diary.create_entry(self.uow(), self.principal, payload)

    @rpc
    def get_diary_entry(self, entry_id):
        return diary.get_entry(self.uow(), self.principal, entry_id)

    @rpc
    def update_diary_entry(self, entry_id, payload):
        return diary.update_entry(self.uow(), self.principal, entry_id, payload)

    @rpc
    def list_diary_entries(self, query=None):
        return diary.list_entries(self.uow(), self.principal, query)

    @rpc
    def create_plan(self, payload):
        return diary.create_plan(self.uow(), self.principal, payload)

    @rpc
    def get_plan(self, plan_id):
        return diary.get_plan(self.uow(), self.principal, plan_id)

    @rpc
    def list_plans(self, query=None):
        return diary.list_plans(self.uow(), self.principal, query)

    @rpc
    def add_plan_record(self, plan_id, payload):
        return diary.add_record(self.uow(), self.principal, plan_id, payload)

    # documents (WSP-06): metadata only, the gateway moves the bytes
    @rpc
    def register_document(self, payload):
        return documents.register(self.uow(), self.principal, payload)

    @rpc
    def get_document(self, document_id):
        return documents.get(self.uow(), self.principal, document_id)

    @rpc
    def open_document(self, document_id):
        return documents.open_for_download(self.uow(), self.principal, document_id)

    @rpc
    def list_documents(self, query=None):
        return documents.list_(self.uow(), self.principal, query)

    @rpc
    def share_document(self, document_id, payload):
        return documents.share(self.uow(), self.principal, document_id, payload)

    @rpc
    def delete_document(self, document_id):
        return documents.delete(self.uow(), self.principal, document_id)

    # reminders (WSP-07)
    @rpc
    def create_reminder(self, payload):
        return reminders.create(self.uow(), self.principal, payload)

    @rpc
    def list_reminders(self, query=None):
        return reminders.list_(self.uow(), self.principal, query)

    @rpc
    def complete_reminder(self, reminder_id, payload=None):
        return reminders.complete(self.uow(), self.principal, reminder_id, payload)

    @timer(interval=REMINDER_TICK_SECONDS)
    def fire_due_reminders(self):
        reminders.fire_due(self.uow())

    # notifications (WSP-08)
    @rpc
    def list_notifications(self, query=None):
        return notifications.list_(self.uow(), self.principal, query)

    @rpc
    def unread_notification_count(self):
        return notifications.unread_count(self.uow(), self.principal)

    @rpc
    def mark_notification_read(self, notification_id):
        return notifications.mark_read(self.uow(), self.principal, notification_id)

    # SMS (WSP-09)
    @rpc
    def send_sms(self, payload):
        return sms.send(self.uow(), self.principal, payload, sms_providers.configured())

    @rpc
    def list_sms(self, query=None):
        return sms.list_(self.uow(), self.principal, query)

    @rpc
    def add_sms_opt_out(self, payload):
        return sms.add_opt_out(self.uow(), self.principal, payload)

    @rpc
    def list_sms_opt_outs(self, query=None):
        return sms.list_opt_outs(self.uow(), self.principal, query)

    @rpc
    def remove_sms_opt_out(self, phone):
        sms.remove_opt_out(self.uow(), self.principal, phone)

    # dashboard (WSP-10)
    @rpc
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
