"""Nameko entrypoints of the customers service: thin wrappers over the use cases."""
import logging

from nameko.timer import timer

from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.outbox import UnitOfWorkProvider
from crm_common.records import utcnow
from crm_common.service_base import ServiceBase, rpc
from crm_common.validation import NoInput
from crm_customers import (complaints, contacts, custom_fields, customers, export, extensions, history,
                           imports, interactions, lifecycle, merge, ownership, pool_jobs, recycle_bin,
                           phone_lookup, relations, statistics, subresources)
from crm_customers.aftersales_schemas import ComplaintOut, RelationOut
from crm_customers.money_picture.entrypoints import MoneyPictureEntrypoints
from crm_customers.workbench.entrypoints import WorkbenchEntrypoints
from crm_customers.pool_schemas import (ExtensionRequestOut, PoolCustomerOut, PoolSettingsOut, RunJobsOut,
                                        TransferAllOut)
from crm_customers.schemas import (ContactIn, ContactListQuery, ContactOut, CustomerCreateIn, CustomerDetailOut,
                                   CustomerFilters, CustomerIn, CustomerListQuery, CustomerOut, FieldDefinitionIn,
                                   FieldDefinitionListQuery, FieldDefinitionOut, HistoryListQuery, HistoryOut,
                                   PurgeOut)
from crm_customers.schemas_more import (AssignIn, ComplaintActionIn, ComplaintIn, ExportOut,
                                        ExtensionIn, ImportChunkIn, ImportIn, ImportJobOut, InteractionIn,
                                        InteractionOut, MergeIn, PoolListQuery, PoolSettingsIn, RelationIn,
                                        RunJobsIn, StageIn, StatisticsOut, StatisticsQuery, SubListQuery,
                                        TransferAllIn)

log = logging.getLogger(__name__)


class CustomersService(MoneyPictureEntrypoints, WorkbenchEntrypoints, ServiceBase):
    name = "customers"
    uow = UnitOfWorkProvider()
    contract_variants = subresources.CONTRACT_VARIANTS

    # -- customers and leads (CUS-01, 02, 06, 11)
    @rpc
    @api(body=CustomerCreateIn, returns=CustomerOut)
    def create_customer(self, payload):
        return customers.create(self.uow(), self.principal, payload)

    @rpc
    @api(returns=CustomerDetailOut)
    def get_customer(self, customer_id):
        return customers.get(self.uow(), self.principal, customer_id)

    @rpc
    @api(body=CustomerIn, partial=True, returns=CustomerOut)
    def update_customer(self, customer_id, payload):
        return customers.update(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api()
    def delete_customer(self, customer_id):
        recycle_bin.delete_(self.uow(), self.principal, customer_id)

    @rpc
    @api(query=CustomerListQuery, returns=CustomerOut, page=True)
    def list_customers(self, query):
        return customers.list_(self.uow(), self.principal, query)

    @rpc
    @api(query=HistoryListQuery, returns=HistoryOut, page=True)
    def customer_history(self, customer_id, query):
        return history.list_(self.uow(), self.principal, customer_id, query)

    @rpc
    @api(body=CustomerCreateIn, returns=CustomerOut)
    def create_lead(self, payload):
        return lifecycle.create_lead(self.uow(), self.principal, payload)

    @rpc
    @api(body=StageIn, returns=CustomerOut)
    def change_stage(self, customer_id, payload):
        return lifecycle.change_stage(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=NoInput, returns=CustomerOut)
    def convert_lead(self, customer_id, payload):
        return lifecycle.convert(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=NoInput, returns=CustomerOut)
    def back_to_lead(self, customer_id, payload):
        return lifecycle.back_to_lead(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=MergeIn, returns=CustomerOut)
    def merge_customers(self, customer_id, payload):
        return merge.merge(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(query=StatisticsQuery, returns=StatisticsOut)
    def customer_statistics(self, query):
        return statistics.count(self.uow(), self.principal, query)

    @rpc
    @api(query=CustomerFilters, returns=ExportOut)
    def export_customers(self, query):
        return export.export(self.uow(), self.principal, query)

    # -- contacts, relations, interactions, after-sales (CUS-03, 04, 05, 08)
    @rpc
    @api(body=ContactIn, returns=ContactOut)
    def create_contact(self, customer_id, payload):
        return contacts.create(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=ContactIn, partial=True, returns=ContactOut)
    def update_contact(self, contact_id, payload):
        return contacts.update(self.uow(), self.principal, contact_id, payload)

    @rpc
    @api(query=ContactListQuery, returns=ContactOut, page=True)
    def list_contacts(self, customer_id, query):
        return contacts.list_(self.uow(), self.principal, customer_id, query)

    @rpc
    @api(body=RelationIn, returns=RelationOut)
    def create_relation(self, customer_id, payload):
        return relations.create(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(query=SubListQuery, returns=RelationOut, page=True)
    def list_relations(self, customer_id, query):
        return relations.list_(self.uow(), self.principal, customer_id, query)

    @rpc
    @api()
    def delete_relation(self, relation_id):
        relations.remove(self.uow(), self.principal, relation_id)

    @rpc
    @api(body=InteractionIn, returns=InteractionOut)
    def create_interaction(self, customer_id, payload):
        return interactions.create(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(query=SubListQuery, returns=InteractionOut, page=True)
    def list_interactions(self, customer_id, query):
        return interactions.list_(self.uow(), self.principal, customer_id, query)

    @rpc
    @api(body=InteractionIn, partial=True, returns=InteractionOut)
    def copy_interaction(self, interaction_id, payload):
        return interactions.copy(self.uow(), self.principal, interaction_id, payload)

    @rpc
    def create_record(self, kind, customer_id, payload):
        return subresources.create(self.uow(), self.principal, kind, customer_id, payload)

    @rpc
    def list_records(self, kind, customer_id, query):
        return subresources.list_(self.uow(), self.principal, kind, customer_id, query)

    @rpc
    @api(body=ComplaintIn, returns=ComplaintOut)
    def create_complaint(self, customer_id, payload):
        return complaints.create(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(query=SubListQuery, returns=ComplaintOut, page=True)
    def list_complaints(self, customer_id, query):
        return complaints.list_(self.uow(), self.principal, customer_id, query)

    @rpc
    @api(body=ComplaintActionIn, returns=ComplaintOut)
    def complaint_action(self, complaint_id, payload, handler=None):
        return complaints.act(self.uow(), self.principal, complaint_id, payload, handler)

    # -- ownership, pool, recycle bin (CUS-07)
    # the gateway resolves the users named in these two (its routes describe what clients send)
    @rpc
    @api(body=AssignIn, returns=CustomerOut)
    def assign_customer(self, customer_id, payload):
        return ownership.assign(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=TransferAllIn, returns=TransferAllOut)
    def transfer_all_customers(self, payload):
        return ownership.transfer_all(self.uow(), self.principal, payload)

    @rpc
    @api(body=NoInput, returns=CustomerOut)
    def release_customer(self, customer_id, payload):
        return ownership.release(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=NoInput, returns=CustomerOut)
    def claim_customer(self, customer_id, payload):
        return ownership.claim(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(query=PoolListQuery, returns=PoolCustomerOut, page=True)
    def list_pool(self, query):
        return ownership.list_pool(self.uow(), self.principal, query)

    @rpc
    @api(returns=PoolSettingsOut)
    def pool_settings(self):
        return pool_jobs.settings(self.uow(), self.principal)

    @rpc
    @api(body=PoolSettingsIn, returns=PoolSettingsOut)
    def update_pool_settings(self, payload):
        return pool_jobs.update_settings(self.uow(), self.principal, payload)

    @rpc
    @api(body=RunJobsIn, returns=RunJobsOut)
    def run_pool_jobs(self, payload):
        return pool_jobs.run_now(self.uow, self.principal, payload)

    @rpc
    @api(body=ExtensionIn, returns=ExtensionRequestOut)
    def create_extension(self, customer_id, payload):
        return extensions.request(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(query=SubListQuery, returns=ExtensionRequestOut, page=True)
    def list_extensions(self, customer_id, query):
        return extensions.list_for(self.uow(), self.principal, customer_id, query)

    @handles("sales.approval_decided")
    def on_approval_decided(self, uow, envelope, data):
        if data["document_type"] == "pool_extension":
            extensions.apply_decision(uow, data)

    @rpc
    @api(query=SubListQuery, returns=CustomerOut, page=True)
    def list_deleted_customers(self, query):
        return recycle_bin.list_deleted(self.uow(), self.principal, query)

    @rpc
    @api(body=NoInput, returns=CustomerOut)
    def restore_customer(self, customer_id, payload):
        return recycle_bin.restore(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(body=NoInput, returns=PurgeOut)
    def purge_customer(self, customer_id, payload):
        return recycle_bin.purge(self.uow(), self.principal, customer_id, payload)

    # -- custom fields and import (CUS-10, CUS-12)
    @rpc
    @api(body=FieldDefinitionIn, returns=FieldDefinitionOut)
    def create_field_definition(self, payload):
        return custom_fields.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=FieldDefinitionListQuery, returns=FieldDefinitionOut, page=True)
    def list_field_definitions(self, query):
        return custom_fields.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=ImportIn, returns=ImportJobOut)
    def create_import(self, payload):
        return imports.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=ImportChunkIn, returns=ImportJobOut)
    def add_import_chunk(self, job_id, payload):
        return imports.add_chunk(self.uow(), self.principal, job_id, payload)

    @rpc
    @api(body=NoInput, returns=ImportJobOut)
    def start_import(self, job_id, payload):
        return imports.start(self.uow(), self.principal, job_id, payload)

    @rpc
    @api(returns=ImportJobOut)
    def get_import(self, job_id):
        return imports.get(self.uow(), self.principal, job_id)

    # -- scheduled work: both are idempotent and safe with several replicas
    @timer(interval=60)
    def pool_jobs_tick(self):
        log.info("pool jobs: %s", pool_jobs.run(self.uow, utcnow()))

    @timer(interval=1)
    def import_tick(self):
        while imports.process_next(self.uow):
            pass

    @rpc
    def find_by_phone(self, phone):
        """Read-only, for the workspace's call log: who is calling, within the caller's scope."""
        return phone_lookup.find_by_phone(self.uow(), self.principal, phone)
