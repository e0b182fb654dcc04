"""The finance service: one entrypoint mixin per area over the shared plumbing."""
from crm_common.customer_merges import FollowsCustomerMerges
from crm_common.department_moves import FollowsDepartmentMoves
from crm_common.outbox import UnitOfWorkProvider
from crm_common.numbering_rules import NumberingEntrypoints
from crm_common.service_base import ServiceBase
from crm_finance.clients import ApproverClient
from crm_finance.advances.entrypoints import AdvancesEntrypoints
from crm_finance.approvals.entrypoints import ApprovalsEntrypoints
from crm_finance.banking.entrypoints import BankingEntrypoints
from crm_finance.db import Base
from crm_finance.dunning.entrypoints import DunningEntrypoints
from crm_finance.invoicing.entrypoints import InvoicingEntrypoints
from crm_finance.payments.entrypoints import PaymentsEntrypoints
from crm_finance.receivables.entrypoints import ReceivablesEntrypoints
from crm_finance.reports.entrypoints import ReportsEntrypoints


class FinanceService(ReceivablesEntrypoints, AdvancesEntrypoints, InvoicingEntrypoints, PaymentsEntrypoints,
                     BankingEntrypoints, DunningEntrypoints, ReportsEntrypoints, ApprovalsEntrypoints, FollowsCustomerMerges,
                     FollowsDepartmentMoves, NumberingEntrypoints, ApproverClient, ServiceBase):
    name = "finance"
    customer_tables = Base.metadata  # re-pointed when customers are merged
    department_tables = Base.metadata  # paths rewritten when a department moves
    uow = UnitOfWorkProvider()
    # expenses were paid when recorded; now only once approved (customers.expense_approved)
    retired_event_queues = ("evt-customers-expense_recorded--finance.on_expense_recorded",)
