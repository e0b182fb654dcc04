"""Entrypoints of payments: the events that open them and the RPCs people call."""
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_finance.payments import handlers, queries, use_cases
from crm_finance.payments.schemas import PayIn, PaymentListQuery, PaymentOut


class PaymentsEntrypoints:
    @handles("sales.return_approved")
    def on_return_approved(self, uow, envelope, data):
        handlers.from_return(uow, data)

    @handles("customers.expense_approved")
    def on_expense_approved(self, uow, envelope, data):
        handlers.from_expense(uow, data)

    @handles("logistics.field_service_settled")
    def on_field_service_settled(self, uow, envelope, data):
        handlers.from_field_service(uow, data)

    @rpc
    @api(query=PaymentListQuery, returns=PaymentOut, page=True)
    def list_payments(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=PaymentOut)
    def get_payment(self, payment_id):
        return queries.get(self.uow(), self.principal, payment_id)

    @rpc
    @api(body=PayIn, returns=PaymentOut)
    def pay_payment(self, payment_id, payload):
        return use_cases.pay(self.uow(), self.principal, payment_id, payload)
