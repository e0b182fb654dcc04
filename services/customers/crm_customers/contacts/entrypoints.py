"""Contacts (CUS-03) and the phone-number lookup. Mixed into CustomersService; thin wrappers."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_customers.contacts import queries, use_cases
from crm_customers.contacts.schemas import AllContactsQuery, ContactIn, ContactListQuery, ContactOut, ContactRowOut


class ContactsEntrypoints:
    @rpc
    @api(body=ContactIn, returns=ContactOut)
    def create_contact(self, customer_id, payload):
        return use_cases.create(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=ContactIn, partial=True, returns=ContactOut)
    def update_contact(self, contact_id, payload):
        return use_cases.update(self.uow(), self.principal, contact_id, payload)

    @rpc
    @api(query=ContactListQuery, returns=ContactOut, page=True)
    def list_contacts(self, customer_id, query):
        return queries.list_(self.uow(), self.principal, customer_id, query)

    @rpc
    @api(returns=ContactRowOut)
    def get_contact(self, contact_id):
        return queries.get(self.uow(), self.principal, contact_id)

    @rpc
    @api()
    def delete_contact(self, contact_id):
        return use_cases.delete(self.uow(), self.principal, contact_id)

    @rpc
    @api(query=AllContactsQuery, returns=ContactRowOut, page=True)
    def list_all_contacts(self, query):
        return queries.list_all(self.uow(), self.principal, query)

    @rpc
    def find_by_phone(self, phone):
        """Read-only, for the workspace's call log: who is calling, within the caller's scope."""
        return queries.find_by_phone(self.uow(), self.principal, phone)
