"""Nameko entrypoints of the finance service: thin wrappers over the use cases."""
from nameko.timer import timer

from crm_common.events.handlers import handles
from crm_common.outbox import UnitOfWorkProvider
from crm_common.customer_merges import FollowsCustomerMerges
from crm_common.service_base import ServiceBase, rpc
from crm_finance.models import Base
from crm_finance import (bank_accounts, dunning, invoices, payments, plans, receipts, receivables,
                         reports)

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
    def run_dunning(self, payload):
        return dunning.run_now(self.uow, self.principal, payload)

    @rpc
    def list_receivables(self, query):
        return receivables.list_(self.uow(), self.principal, query)

    @rpc
    def get_receivable(self, receivable_id):
        return receivables.get(self.uow(), self.principal, receivable_id)

    @rpc
    def set_payment_plan(self, receivable_id, payload):
        return plans.set_plan(self.uow(), self.principal, receivable_id, payload)

    @rpc
    def get_payment_plan(self, receivable_id):
        return plans.get_plan(self.uow(), self.principal, receivable_id)

    @rpc
    def get_invoicing(self, receivable_id):
        return invoices.invoicing(self.uow(), self.principal, receivable_id)

    @rpc
    def create_receipt(self, payload):
        return receipts.create(self.uow(), self.principal, payload)

    @rpc
    def reverse_receipt(self, receipt_id, payload):
        return receipts.reverse(self.uow(), self.principal, receipt_id, payload)

    @rpc
    def list_receipts(self, query):
        return receipts.list_(self.uow(), self.principal, query)

    @rpc
    def get_receipt(self, receipt_id):
        return receipts.get(self.uow(), self.principal, receipt_id)

    @rpc
    def create_bank_account(self, payload):
        return bank_accounts.create(self.uow(), self.principal, payload)

    @rpc
    def list_bank_accounts(self, query):
        return bank_accounts.list_(self.uow(), self.principal, query)

    @rpc
    def get_bank_account(self, account_id):
        return bank_accounts.get(self.uow(), self.principal, account_id)

    @rpc
    def list_bank_entries(self, account_id, query):
        return bank_accounts.entries(self.uow(), self.principal, account_id, query)

    @rpc
    def create_invoice(self, payload):
        return invoices.create(self.uow(), self.principal, payload)

    @rpc
    def list_invoices(self, query):
        return invoices.list_(self.uow(), self.principal, query)

    @rpc
    def get_invoice(self, invoice_id):
        return invoices.get(self.uow(), self.principal, invoice_id)

    @rpc
    def list_payments(self, query):
        return payments.list_(self.uow(), self.principal, query)

    @rpc
    def get_payment(self, payment_id):
        return payments.get(self.uow(), self.principal, payment_id)

    @rpc
    def pay_payment(self, payment_id, payload):
        return payments.pay(self.uow(), self.principal, payment_id, payload)

    @rpc
    def ageing_report(self, query):
        return reports.ageing(self.uow(), self.principal, query)

    @rpc
    def customer_statement(self, customer_id, query):
        return reports.statement(self.uow(), self.principal, customer_id, query)
