"""Finance documents held for the sales approval engine (SAL-07): the events that drive them.

Mixed into FinanceService (service.py); thin wrappers over the use cases.
"""
from crm_common.events.handlers import handles
from crm_finance.approvals import handlers, use_cases


class ApprovalsEntrypoints:
    @handles("sales.approval_flow_changed")
    def on_approval_flow_changed(self, uow, envelope, data):
        use_cases.flow_changed(uow, envelope, data)

    @handles("sales.approval_decided")
    def on_approval_decided(self, uow, envelope, data):
        handlers.decided(uow, data)

    @handles("sales.approval_withdrawn")
    def on_approval_withdrawn(self, uow, envelope, data):
        handlers.withdrawn(uow, data)
