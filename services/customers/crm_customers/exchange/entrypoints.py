"""CSV import and export (CUS-12). Mixed into CustomersService; thin wrappers over the use cases."""
from nameko.timer import timer

from crm_common import exports
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_customers.exchange import queries, use_cases
from crm_customers.exchange.schemas import (ContactExportQuery, CustomerExportQuery, ImportChunkIn,
                                            ImportColumnsOut, ImportIn, ImportJobOut, InteractionExportQuery)

# What the gateway's export route answers (or xlsx). The RPC answers one page of rows, which the
# gateway writes into the file: {columns, total (first page), rows, next_cursor} (crm_common.exports).


class ExchangeEntrypoints:
    @rpc
    @api(query=CustomerExportQuery, media_type=exports.MEDIA_TYPES)
    def export_customers(self, query, cursor=None):
        return queries.export_customers(self.uow(), self.principal, query, cursor)

    @rpc
    @api(query=ContactExportQuery, media_type=exports.MEDIA_TYPES)
    def export_contacts(self, query, cursor=None):
        return queries.export_contacts(self.uow(), self.principal, query, cursor)

    @rpc
    @api(query=InteractionExportQuery, media_type=exports.MEDIA_TYPES)
    def export_interactions(self, query, cursor=None):
        return queries.export_interactions(self.uow(), self.principal, query, cursor)

    @rpc
    @api(returns=ImportColumnsOut)
    def import_columns(self):
        return queries.import_columns(self.uow(), self.principal)

    @rpc
    @api(body=ImportIn, returns=ImportJobOut)
    def create_import(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=ImportChunkIn, returns=ImportJobOut)
    def add_import_chunk(self, job_id, payload, picks):
        return use_cases.add_chunk(self.uow(), self.principal, job_id, payload, picks)

    @rpc
    @api(body=NoInput, returns=ImportJobOut)
    def start_import(self, job_id, payload):
        return use_cases.start(self.uow(), self.principal, job_id, payload)

    @rpc
    @api(returns=ImportJobOut)
    def get_import(self, job_id):
        return queries.get(self.uow(), self.principal, job_id)

    # idempotent and safe with several replicas: jobs are taken with SKIP LOCKED
    @timer(interval=1)
    def import_tick(self):
        while use_cases.process_next(self.uow):
            pass
