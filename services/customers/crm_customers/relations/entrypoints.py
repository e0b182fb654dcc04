"""Relations between customers (CUS-04). Mixed into CustomersService; thin wrappers."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_customers.customers.schemas import SubListQuery
from crm_customers.relations import queries, use_cases
from crm_customers.relations.schemas import RelationIn, RelationOut, RelationUpdate


class RelationsEntrypoints:
    @rpc
    @api(body=RelationIn, returns=RelationOut)
    def create_relation(self, customer_id, payload):
        return use_cases.create(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(query=SubListQuery, returns=RelationOut, page=True)
    def list_relations(self, customer_id, query):
        return queries.list_(self.uow(), self.principal, customer_id, query)

    @rpc
    @api(body=RelationUpdate, partial=True, returns=RelationOut)
    def update_relation(self, relation_id, payload):
        return use_cases.update(self.uow(), self.principal, relation_id, payload)

    @rpc
    @api()
    def delete_relation(self, relation_id):
        use_cases.remove(self.uow(), self.principal, relation_id)
