"""Nameko entrypoints of the finance service: thin wrappers over the use cases."""
from nameko.timer import timer

from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.outbox import UnitOfWorkProvider
from crm_common.customer_merges import FollowsCustomerMerges
from crm_common.pagination import ListQuery
from crm_common.service_base import ServiceBase, rpc
from crm_finance.models import Base
from crm_finance import (bank_accounts, dunning, invoices, payments, plans, receipts, receivables,
                         reports)
from crm_finance.report_schemas import AgeingOut, StatementOut
from crm_finance.schemas import (AgeingQuery, BankAccountIn, BankAccountOut, BankEntriesOut, DunningIn, DunningRunOut,
                                 EntryListQuery, InvoiceIn, InvoiceListQuery, InvoiceOut, InvoicingOut, PayIn,
                                 PaymentListQuery, PaymentOut, PlanIn, PlanOut, ReceiptIn, ReceiptListQuery, ReceiptOut,
                                 ReceivableDetailOut, ReceivableListQuery, ReceivableOut, ReversalIn, StatementQuery)

DUNNING_INTERVAL_SECONDS = 3600  # hourly; each receivable is reminded about once per day


class FinanceService(FollowsCustomerMerges, ServiceBase):
    name = "finance"
    customer_tables = Base.metadata  # re-pointed when customers are merged
    uow = UnitOfWorkProvider()

    @handles("logistics.shipment_allowed")
    def on_shipment_allowed(self, uow, envelope, data):
        receivables.open_for_shipment(uow, data)

    @handles("sales.order_approved")
    def on_order_approved(self, uow, envelope, data):
        invoices.record_order_lines(uow, data)

    @handles("sales.return_approved")
    def on_return_approved(self, uow, envelope, data):
        payments.from_return(uow, data)

    @handles("customers.expense_recorded")
    def on_expense_recorded(self, uow, envelope, data):
        payments.from_expense(uow, data)

    @handles("logistics.field_service_settled")
    def on_field_service_settled(self, uow, envelope, data):
        payments.from_field_service(uow, data)

    @timer(interval=DUNNING_INTERVAL_SECONDS)
    def daily_dunning(self):
        dunning.run(self.uow)

    @rpc
    @api(body=DunningIn, returns=DunningRunOut)
    def run_dunning(self, payload):
        return dunning.run_now(self.uow, self.principal, payload)

    @rpc
    @api(query=ReceivableListQuery, returns=ReceivableOut, page=True)
    def list_receivables(self, query):
        return receivables.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=ReceivableDetailOut)
    def get_receivable(self, receivable_id):
        return receivables.get(self.uow(), self.principal, receivable_id)

    @rpc
    @api(body=PlanIn, returns=PlanOut)
    def set_payment_plan(self, receivable_id, payload):
        return plans.set_plan(self.uow(), self.principal, receivable_id, payload)

    @rpc
    @api(returns=PlanOut)
    def get_payment_plan(self, receivable_id):
        return plans.get_plan(self.uow(), self.principal, receivable_id)

    @rpc
    @api(returns=InvoicingOut)
    def get_invoicing(self, receivable_id):
        return invoices.invoicing(self.uow(), self.principal, receivable_id)

    @rpc
    @api(body=ReceiptIn, returns=ReceiptOut)
    def create_receipt(self, payload):
        return receipts.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=ReversalIn, returns=ReceiptOut)
    def reverse_receipt(self, receipt_id, payload):
        return receipts.reverse(self.uow(), self.principal, receipt_id, payload)

    @rpc
    @api(query=ReceiptListQuery, returns=ReceiptOut, page=True)
    def list_receipts(self, query):
        return receipts.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=ReceiptOut)
    def get_receipt(self, receipt_id):
        return receipts.get(self.uow(), self.principal, receipt_id)

    @rpc
    @api(body=BankAccountIn, returns=BankAccountOut)
    def create_bank_account(self, payload):
        return bank_accounts.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=ListQuery, returns=BankAccountOut, page=True)
    def list_bank_accounts(self, query):
        return bank_accounts.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=BankAccountOut)
    def get_bank_account(self, account_id):
        return bank_accounts.get(self.uow(), self.principal, account_id)

    @rpc
    @api(query=EntryListQuery, returns=BankEntriesOut)
    def list_bank_entries(self, account_id, query):
        return bank_accounts.entries(self.uow(), self.principal, account_id, query)

    @rpc
    @api(body=InvoiceIn, returns=InvoiceOut)
    def create_invoice(self, payload):
        return invoices.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=InvoiceListQuery, returns=InvoiceOut, page=True)
    def list_invoices(self, query):
        return invoices.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=InvoiceOut)
    def get_invoice(self, invoice_id):
        return invoices.get(self.uow(), self.principal, invoice_id)

    @rpc
    @api(query=PaymentListQuery, returns=PaymentOut, page=True)
    def list_payments(self, query):
        return payments.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=PaymentOut)
    def get_payment(self, payment_id):
        return payments.get(self.uow(), self.principal, payment_id)

    @rpc
    @api(body=PayIn, returns=PaymentOut)
    def pay_payment(self, payment_id, payload):
        return payments.pay(self.uow(), self.principal, payment_id, payload)

    @rpc
    @api(query=AgeingQuery, returns=AgeingOut)
    def ageing_report(self, query):
        return reports.ageing(self.uow(), self.principal, query)

    @rpc
    @api(query=StatementQuery, returns=StatementOut)
    def customer_statement(self, customer_id, query):
        return reports.statement(self.uow(), self.principal, customer_id, query)
