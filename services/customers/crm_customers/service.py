"""Nameko entrypoints of the customers service: thin wrappers over the use cases."""
from crm_common.outbox import UnitOfWorkProvider
from crm_common.service_base import ServiceBase, rpc
from crm_customers import contacts, customers, phone_lookup


class CustomersService(ServiceBase):
    name = "customers"
    uow = UnitOfWorkProvider()

    @rpc
    def create_customer(self, payload):
        return customers.create(self.uow(), self.principal, payload)

    @rpc
    def get_customer(self, customer_id):
        return customers.get(self.uow(), self.principal, customer_id)

    @rpc
    def update_customer(self, customer_id, payload):
        return customers.update(self.uow(), self.principal, customer_id, payload)

    @rpc
    def delete_customer(self, customer_id):
        customers.delete(self.uow(), self.principal, customer_id)

    @rpc
    def list_customers(self, query):
        return customers.list_(self.uow(), self.principal, query)

    @rpc
    def create_contact(self, customer_id, payload):
        return contacts.create(self.uow(), self.principal, customer_id, payload)

    @rpc
    def list_contacts(self, customer_id, query):
        return contacts.list_(self.uow(), self.principal, customer_id, query)

    @rpc
    def find_by_phone(self, phone):
        """Read-only, for the workspace's call log: who is calling, within the caller's scope."""
        return phone_lookup.find_by_phone(self.uow(), self.principal, phone)
