"""CSV import and export (CUS-12). Mixed into CustomersService; thin wrappers over the use cases."""
from nameko.timer import timer

from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_customers.customers.schemas import CustomerFilters
from crm_customers.exchange import queries, use_cases
from crm_customers.exchange.schemas import ExportOut, ImportChunkIn, ImportIn, ImportJobOut


class ExchangeEntrypoints:
    @rpc
    @api(query=CustomerFilters, returns=ExportOut)
    def export_customers(self, query):
        return queries.export(self.uow(), self.principal, query)

    @rpc
    @api(body=ImportIn, returns=ImportJobOut)
    def create_import(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=ImportChunkIn, returns=ImportJobOut)
    def add_import_chunk(self, job_id, payload):
        return use_cases.add_chunk(self.uow(), self.principal, job_id, payload)

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
