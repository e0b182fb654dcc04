"""Events the pool consumes. Mixed into CustomersService."""
from crm_common.events.handlers import handles
from crm_customers.pool.use_cases import extensions


class PoolHandlers:
    @handles("sales.approval_decided")
    def on_approval_decided(self, uow, envelope, data):
        if data["document_type"] == "pool_extension":
            extensions.apply_decision(uow, data)
