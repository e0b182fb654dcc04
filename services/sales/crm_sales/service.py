"""Nameko entrypoints of the sales service: thin wrappers over the use cases."""
from nameko.rpc import RpcProxy

from crm_common.events.handlers import handles
from crm_common.outbox import UnitOfWorkProvider
from crm_common.service_base import ServiceBase, rpc
from crm_sales import approval_flows, orders, price_rules, products


class SalesService(ServiceBase):
    name = "sales"
    uow = UnitOfWorkProvider()
    customers = RpcProxy("customers")

    def _customer_lookup(self, customer_id):
        return self.customers.get_customer(customer_id)

    # products and pricing (SAL-01, SAL-02)
    @rpc
    def create_product(self, payload):
        return products.create(self.uow(), self.principal, payload)

    @rpc
    def update_product(self, product_id, payload):
        return products.update(self.uow(), self.principal, product_id, payload)

    @rpc
    def get_product(self, product_id):
        return products.get(self.uow(), self.principal, product_id)

    @rpc
    def list_products(self, query):
        return products.list_(self.uow(), self.principal, query)

    @rpc
    def create_price_rule(self, payload):
        return price_rules.create(self.uow(), self.principal, payload)

    @rpc
    def update_price_rule(self, rule_id, payload):
        return price_rules.update(self.uow(), self.principal, rule_id, payload)

    @rpc
    def get_price_rule(self, rule_id):
        return price_rules.get(self.uow(), self.principal, rule_id)

    @rpc
    def list_price_rules(self, query):
        return price_rules.list_(self.uow(), self.principal, query)

    # orders (SAL-06, SAL-12 samples are orders of type "sample")
    @rpc
    def create_order(self, payload):
        return orders.create(self.uow(), self.principal, payload, self._customer_lookup)

    @rpc
    def update_order(self, order_id, payload):
        return orders.update(self.uow(), self.principal, order_id, payload, self._customer_lookup)

    @rpc
    def get_order(self, order_id):
        return orders.get(self.uow(), self.principal, order_id)

    @rpc
    def list_orders(self, query):
        return orders.list_(self.uow(), self.principal, query)

    @rpc
    def order_approvals(self, order_id):
        return orders.approval_history(self.uow(), self.principal, order_id)

    @rpc
    def submit_order(self, order_id, payload=None):
        return orders.submit(self.uow(), self.principal, order_id)

    @rpc
    def approve_order(self, order_id, payload=None):
        return orders.approve(self.uow(), self.principal, order_id, payload)

    @rpc
    def reject_order(self, order_id, payload):
        return orders.reject(self.uow(), self.principal, order_id, payload)

    @rpc
    def cancel_order(self, order_id, payload=None):
        return orders.cancel(self.uow(), self.principal, order_id)

    @rpc
    def complete_order(self, order_id, payload=None):
        return orders.complete(self.uow(), self.principal, order_id)

    @rpc
    def close_order(self, order_id, payload=None):
        return orders.close(self.uow(), self.principal, order_id)

    @handles("logistics.shipment_recorded")
    def on_shipment_recorded(self, uow, envelope, data):
        orders.record_shipment(uow, data)

    @handles("finance.receivable_opened")
    def on_receivable_opened(self, uow, envelope, data):
        orders.record_invoiced(uow, data)

    @handles("finance.receipt_recorded")
    def on_receipt_recorded(self, uow, envelope, data):
        orders.record_receipt(uow, data)

    # approval engine (SAL-07)
    @rpc
    def create_approval_flow(self, payload):
        return approval_flows.create(self.uow(), self.principal, payload)

    @rpc
    def update_approval_flow(self, flow_id, payload):
        return approval_flows.update(self.uow(), self.principal, flow_id, payload)

    @rpc
    def get_approval_flow(self, flow_id):
        return approval_flows.get(self.uow(), self.principal, flow_id)

    @rpc
    def list_approval_flows(self, query):
        return approval_flows.list_(self.uow(), self.principal, query)

    @rpc
    def list_approvals(self, query):
        return approval_flows.pending_for_me(self.uow(), self.principal, query)

    @rpc
    def get_approval(self, approval_id):
        return approval_flows.get_instance(self.uow(), self.principal, approval_id)
