"""The workspace service: one entrypoint mixin per area over the shared plumbing."""
from crm_common.customer_merges import FollowsCustomerMerges
from crm_common.department_moves import FollowsDepartmentMoves
from crm_common.handovers import FollowsHandOvers
from crm_common.outbox import UnitOfWorkProvider
from crm_common.numbering_rules import NumberingEntrypoints
from crm_common.service_base import ServiceBase
from crm_workspace.announcements.entrypoints import AnnouncementsEntrypoints
from crm_workspace.calendar.entrypoints import CalendarEntrypoints
from crm_workspace.calls.entrypoints import CallsEntrypoints
from crm_workspace.categories.entrypoints import CategoriesEntrypoints
from crm_workspace.clients import CustomersClient
from crm_workspace.dashboard.entrypoints import DashboardEntrypoints
from crm_workspace.db import Base
from crm_workspace.diary.entrypoints import DiaryEntrypoints
from crm_workspace.documents.entrypoints import DocumentsEntrypoints
from crm_workspace.handover import handed_over
from crm_workspace.knowledge.entrypoints import KnowledgeEntrypoints
from crm_workspace.notifications.entrypoints import NotificationsEntrypoints
from crm_workspace.notifications.handlers import NotificationsHandlers
from crm_workspace.reminders.entrypoints import RemindersEntrypoints
from crm_workspace.reminders.handlers import RemindersHandlers
from crm_workspace.sms.entrypoints import SmsEntrypoints


class WorkspaceService(AnnouncementsEntrypoints, CalendarEntrypoints, CategoriesEntrypoints, CallsEntrypoints,
                       KnowledgeEntrypoints, DiaryEntrypoints, DocumentsEntrypoints, RemindersEntrypoints,
                       NotificationsEntrypoints, SmsEntrypoints, DashboardEntrypoints,
                       NotificationsHandlers, RemindersHandlers,
                       CustomersClient, FollowsCustomerMerges, FollowsDepartmentMoves, FollowsHandOvers, NumberingEntrypoints, ServiceBase):
    name = "workspace"
    customer_tables = Base.metadata  # re-pointed when customers are merged
    department_tables = Base.metadata  # paths rewritten when a department moves
    uow = UnitOfWorkProvider()
    handed_over = staticmethod(handed_over)  # a departing user's open work (crm_common.handovers)
