"""Events the pool consumes. Mixed into CustomersService."""
from crm_common.events.handlers import handles
from crm_customers.aftersales import use_cases as aftersales
from crm_customers.aftersales.rules import EXPENSE_DOCUMENT
from crm_customers.pool.rules import EXTENSION_DOCUMENT
from crm_customers.pool.use_cases import extensions, facts, handover

# the customers service's documents decided by the sales approval engine (other types are sales')
DECISIONS = {EXTENSION_DOCUMENT: extensions.apply_decision, EXPENSE_DOCUMENT: aftersales.apply_expense_decision}


class PoolHandlers:
    @handles("sales.approval_decided")
    def on_approval_decided(self, uow, envelope, data):
        if data["document_type"] in DECISIONS:
            DECISIONS[data["document_type"]](uow, data)

    @handles("sales.handover_done")
    def on_sales_handover_done(self, uow, envelope, data):
        handover.record_done(uow, "sales", data)

    @handles("logistics.handover_done")
    def on_logistics_handover_done(self, uow, envelope, data):
        handover.record_done(uow, "logistics", data)

    @handles("workspace.handover_done")
    def on_workspace_handover_done(self, uow, envelope, data):
        handover.record_done(uow, "workspace", data)

    @handles("sales.opportunity_changed")
    def pool_on_opportunity_changed(self, uow, envelope, data):
        facts.opportunity_changed(uow.session, data)
