"""Nameko entrypoints of the sales service: thin wrappers over the use cases."""
from nameko.rpc import RpcProxy

from crm_common.outbox import UnitOfWorkProvider
from crm_common.service_base import ServiceBase, rpc
from crm_sales import orders, products


class SalesService(ServiceBase):
    name = "sales"
    uow = UnitOfWorkProvider()
    customers = RpcProxy("customers")

    def _customer_lookup(self, customer_id):
        return self.customers.get_customer(customer_id)

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
