"""Custom field definitions (CUS-10). Mixed into CustomersService; thin wrappers over the use cases."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_customers.fields import queries, use_cases
from crm_customers.fields.schemas import (FieldDefinitionIn, FieldDefinitionListQuery, FieldDefinitionOut,
                                          FieldDefinitionUpdate)


class FieldsEntrypoints:
    @rpc
    @api(body=FieldDefinitionIn, returns=FieldDefinitionOut)
    def create_field_definition(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=FieldDefinitionListQuery, returns=FieldDefinitionOut, page=True)
    def list_field_definitions(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=FieldDefinitionOut)
    def get_field_definition(self, definition_id):
        return queries.get(self.uow(), self.principal, definition_id)

    @rpc
    @api(body=FieldDefinitionUpdate, partial=True, returns=FieldDefinitionOut)
    def update_field_definition(self, definition_id, payload):
        return use_cases.update(self.uow(), self.principal, definition_id, payload)

    @rpc
    @api(body=NoInput, returns=FieldDefinitionOut)
    def retire_field_definition(self, definition_id, payload=None):
        return use_cases.retire(self.uow(), self.principal, definition_id, payload)
