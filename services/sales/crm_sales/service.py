"""The sales service: its entrypoints, one mixin per area (entrypoints/), over the shared plumbing."""
from nameko.rpc import RpcProxy

from crm_common.customer_merges import FollowsCustomerMerges
from crm_common.outbox import UnitOfWorkProvider
from crm_common.service_base import ServiceBase
from crm_sales.approvals.entrypoints import ApprovalsEntrypoints
from crm_sales.catalog.entrypoints import CatalogEntrypoints
from crm_sales.entrypoints.contracts import ContractsEntrypoints
from crm_sales.entrypoints.pipeline import PipelineEntrypoints
from crm_sales.entrypoints.planning import PlanningEntrypoints
from crm_sales.entrypoints.selling import SellingEntrypoints
from crm_sales.models import Base


class SalesService(CatalogEntrypoints, PipelineEntrypoints, SellingEntrypoints, ContractsEntrypoints,
                   PlanningEntrypoints, ApprovalsEntrypoints, FollowsCustomerMerges, ServiceBase):
    name = "sales"
    customer_tables = Base.metadata  # re-pointed when customers are merged
    uow = UnitOfWorkProvider()
    customers = RpcProxy("customers")
    # an earlier version counted lines invoiced when the receivable opened; finance.invoice_issued does
    retired_event_queues = ("evt-finance-receivable_opened--sales.on_receivable_opened",)

    def _customer_lookup(self, customer_id):
        return self.customers.get_customer(customer_id)
