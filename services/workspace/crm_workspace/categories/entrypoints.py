"""Category trees: thin entrypoints over the area's use cases and queries."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_workspace.categories import queries, use_cases
from crm_workspace.categories.schemas import CategoryIn, CategoryOut, CategoryQuery


class CategoriesEntrypoints:
    @rpc
    @api(body=CategoryIn, returns=CategoryOut)
    def create_category(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=CategoryQuery, returns=CategoryOut, page=True)
    def list_categories(self, query=None):
        return queries.list_(self.uow(), self.principal, query)
