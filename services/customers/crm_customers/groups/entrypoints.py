"""The customer group tree (客户群). Mixed into CustomersService; thin wrappers over the use cases."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_customers.groups import queries, use_cases
from crm_customers.groups.schemas import GroupIn, GroupListQuery, GroupOut, GroupRename


class GroupsEntrypoints:
    @rpc
    @api(query=GroupListQuery, returns=GroupOut, page=True)
    def list_customer_groups(self, query):
        return queries.tree(self.uow(), self.principal, query)

    @rpc
    @api(body=GroupIn, returns=GroupOut)
    def create_customer_group(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=GroupRename, returns=GroupOut)
    def rename_customer_group(self, group_id, payload):
        return use_cases.rename(self.uow(), self.principal, group_id, payload)

    @rpc
    @api(body=NoInput, returns=GroupOut)
    def retire_customer_group(self, group_id, payload=None):
        return use_cases.retire(self.uow(), self.principal, group_id, payload)
