"""Events the pool consumes. Mixed into CustomersService."""
from crm_common.events.handlers import handles
from crm_customers.pool.use_cases import extensions, handover


class PoolHandlers:
    @handles("sales.approval_decided")
    def on_approval_decided(self, uow, envelope, data):
        if data["document_type"] == "pool_extension":
            extensions.apply_decision(uow, data)

    @handles("sales.handover_done")
    def on_sales_handover_done(self, uow, envelope, data):
        handover.record_done(uow, "sales", data)

    @handles("logistics.handover_done")
    def on_logistics_handover_done(self, uow, envelope, data):
        handover.record_done(uow, "logistics", data)

    @handles("workspace.handover_done")
    def on_workspace_handover_done(self, uow, envelope, data):
        handover.record_done(uow, "workspace", data)
