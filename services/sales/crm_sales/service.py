"""The sales service: one entrypoint mixin per area, over the shared plumbing."""
from crm_common.customer_merges import FollowsCustomerMerges
from crm_common.department_moves import FollowsDepartmentMoves
from crm_common.handovers import FollowsHandOvers
from crm_common.outbox import UnitOfWorkProvider
from crm_common.numbering_rules import NumberingEntrypoints
from crm_common.service_base import ServiceBase
from crm_common.teams import FollowsCustomerTransfers
from crm_sales.approvals.entrypoints import ApprovalsEntrypoints
from crm_sales.catalog.entrypoints import CatalogEntrypoints
from crm_sales.clients import CustomersClient
from crm_sales.db import TEAM, Base
from crm_sales.handover import handed_over
from crm_sales.contracts.entrypoints import ContractsEntrypoints
from crm_sales.customer_tabs.entrypoints import CustomerTabsEntrypoints
from crm_sales.pipeline.entrypoints import PipelineEntrypoints
from crm_sales.planning.entrypoints import PlanningEntrypoints
from crm_sales.orders.entrypoints import OrdersEntrypoints
from crm_sales.quotes.entrypoints import QuotesEntrypoints
from crm_sales.reports.entrypoints import ReportsEntrypoints
from crm_sales.returns.entrypoints import ReturnsEntrypoints
from crm_sales.team import use_cases as team
from crm_sales.team.entrypoints import TeamEntrypoints


class SalesService(CatalogEntrypoints, PipelineEntrypoints, QuotesEntrypoints, OrdersEntrypoints,
                   ReturnsEntrypoints, ContractsEntrypoints, PlanningEntrypoints, ApprovalsEntrypoints,
                   CustomerTabsEntrypoints, TeamEntrypoints, ReportsEntrypoints,
                   CustomersClient, FollowsCustomerMerges, FollowsDepartmentMoves, FollowsHandOvers,
                   FollowsCustomerTransfers, NumberingEntrypoints, ServiceBase):
    name = "sales"
    customer_tables = Base.metadata  # re-pointed when customers are merged
    department_tables = Base.metadata  # paths rewritten when a department moves
    uow = UnitOfWorkProvider()
    # a customer's transfer may carry its opportunities and contracts along (issue 17)
    team_table, carried = TEAM, team.carried
    handed_over = staticmethod(handed_over)  # a departing user's open work (crm_common.handovers)
    # an earlier version counted lines invoiced when the receivable opened; finance.invoice_issued does
    retired_event_queues = ("evt-finance-receivable_opened--sales.on_receivable_opened",)
