"""Mixed into CustomersService: the summary RPC and the events that keep the picture."""
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_customers.customers.use_cases import refresh_due
from crm_customers.money_picture import queries, use_cases
from crm_customers.money_picture.schemas import SummaryOut


class MoneyPictureEntrypoints:
    @rpc
    @api(returns=SummaryOut)
    def customer_summary(self, customer_id):
        return queries.summary(self.uow(), self.principal, customer_id)

    @handles("sales.order_approved")
    def money_on_order_approved(self, uow, envelope, data):
        use_cases.order_approved(uow.session, data, envelope["occurred_at"])
        refresh_due(uow.session, data["customer_id"])  # a deal: the pools' "no deal" clock and won exemption

    @handles("sales.order_completed")
    def money_on_order_completed(self, uow, envelope, data):
        use_cases.order_ended(uow.session, data, envelope["occurred_at"])

    @handles("sales.order_closed")
    def money_on_order_closed(self, uow, envelope, data):
        use_cases.order_ended(uow.session, data, envelope["occurred_at"])

    @handles("finance.receivable_opened")
    def money_on_receivable_opened(self, uow, envelope, data):
        use_cases.receivable_opened(uow.session, data)

    @handles("finance.receivable_reduced")
    def money_on_receivable_reduced(self, uow, envelope, data):
        use_cases.receivable_reduced(uow.session, data)

    @handles("finance.receipt_recorded")
    def money_on_receipt_recorded(self, uow, envelope, data):
        use_cases.receipt(uow.session, data, +1)

    @handles("finance.receipt_reversed")
    def money_on_receipt_reversed(self, uow, envelope, data):
        use_cases.receipt(uow.session, data, -1)

    @handles("customers.customer_merged")
    def money_on_customer_merged(self, uow, envelope, data):
        use_cases.customer_merged(uow.session, data)
