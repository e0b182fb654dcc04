"""The recycle bin (CUS-07) and merge (CUS-11). Mixed into CustomersService; thin wrappers."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_customers.customers.schemas import CustomerOut, SubListQuery
from crm_customers.housekeeping import queries, use_cases
from crm_customers.housekeeping.schemas import DepartmentMoveIn, DepartmentMoveOut, MergeIn, PurgeOut


class HousekeepingEntrypoints:
    @rpc
    @api()
    def delete_customer(self, customer_id):
        use_cases.delete_(self.uow(), self.principal, customer_id)

    @rpc
    @api(query=SubListQuery, returns=CustomerOut, page=True)
    def list_deleted_customers(self, query):
        return queries.list_deleted(self.uow(), self.principal, query)

    @rpc
    @api(body=NoInput, returns=CustomerOut)
    def restore_customer(self, customer_id, payload):
        return use_cases.restore(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=NoInput, returns=PurgeOut)
    def purge_customer(self, customer_id, payload):
        return use_cases.purge(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=MergeIn, returns=CustomerOut)
    def merge_customers(self, customer_id, payload):
        return use_cases.merge(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=DepartmentMoveIn, returns=DepartmentMoveOut)
    def move_department(self, payload):
        return use_cases.move_department(self.uow(), self.principal, payload)
