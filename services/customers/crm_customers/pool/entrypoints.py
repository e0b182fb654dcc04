"""Ownership, the public pool and its scheduled jobs (CUS-07). Mixed into CustomersService; thin wrappers."""
import logging

from nameko.timer import timer

from crm_common.api_contract import api
from crm_common.records import utcnow
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_customers.customers.schemas import CustomerOut, SubListQuery
from crm_customers.pool import queries
from crm_customers.pool.schemas import (AssignIn, ExtensionIn, ExtensionRequestDetailOut, ExtensionRequestOut, HandOverIn, HandOverOut,
                                        NightlyRunOut, PoolCustomerOut, PoolIn, PoolListQuery, PoolOut, PoolPeopleIn,
                                        PoolSettingsIn, PoolSettingsOut, RunJobsIn, RunJobsOut, TransferAllIn, TransferAllOut)
from crm_customers.pool.use_cases import extensions, handover, jobs, ownership, pools

log = logging.getLogger(__name__)


class PoolEntrypoints:
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
    @api(body=NoInput, returns=CustomerOut)
    def lock_customer(self, customer_id, payload):
        return ownership.set_lock(self.uow(), self.principal, customer_id, payload, True)

    @rpc
    @api(body=NoInput, returns=CustomerOut)
    def unlock_customer(self, customer_id, payload):
        return ownership.set_lock(self.uow(), self.principal, customer_id, payload, False)

    @rpc
    @api(returns=PoolOut, page=True)
    def list_pools(self):
        return queries.list_pools(self.uow(), self.principal)

    @rpc
    @api(returns=PoolOut)
    def get_pool(self, pool_id):
        return queries.get_pool(self.uow(), self.principal, pool_id)

    @rpc
    @api(body=PoolIn, returns=PoolOut)
    def create_pool(self, payload):
        return pools.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=PoolIn, returns=PoolOut)
    def update_pool(self, pool_id, payload):
        return pools.update(self.uow(), self.principal, pool_id, payload)

    # the gateway resolves the users named (its route describes what clients send)
    @rpc
    @api(body=PoolPeopleIn, returns=PoolOut)
    def set_pool_people(self, pool_id, payload):
        return pools.set_people(self.uow(), self.principal, pool_id, payload)

    @rpc
    @api(body=NoInput, returns=NightlyRunOut)
    def run_nightly_pool_job(self, payload):
        return jobs.nightly_now(self.uow, self.principal, payload)

    @rpc
    @api(query=PoolListQuery, returns=PoolCustomerOut, page=True)
    def list_pool(self, query):
        return queries.list_pool(self.uow(), self.principal, query)

    @rpc
    @api(returns=PoolSettingsOut)
    def pool_settings(self):
        return queries.settings(self.uow(), self.principal)

    @rpc
    @api(body=PoolSettingsIn, returns=PoolSettingsOut)
    def update_pool_settings(self, payload):
        return jobs.update_settings(self.uow(), self.principal, payload)

    @rpc
    @api(body=RunJobsIn, returns=RunJobsOut)
    def run_pool_jobs(self, payload):
        return jobs.run_now(self.uow, self.principal, payload)

    @rpc
    @api(body=ExtensionIn, returns=ExtensionRequestOut)
    def create_extension(self, customer_id, payload):
        return extensions.request(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api(query=SubListQuery, returns=ExtensionRequestOut, page=True)
    def list_extensions(self, customer_id, query):
        return queries.list_extensions(self.uow(), self.principal, customer_id, query)

    @rpc
    @api(returns=ExtensionRequestDetailOut)
    def get_extension(self, request_id):
        return queries.get_extension(self.uow(), self.principal, request_id, self.approves)

    @rpc
    @api(body=HandOverIn, returns=HandOverOut)
    def start_handover(self, payload):
        return handover.start(self.uow(), self.principal, payload)

    @rpc
    @api(returns=HandOverOut)
    def get_handover(self, handover_id):
        return handover.get(self.uow(), self.principal, handover_id)

    # asks every minute; the branch day's first ask runs it, the rest of the day finds it done
    # (jobs.nightly: one run per local day, safe with several replicas)
    @timer(interval=60)
    def pool_jobs_tick(self):
        result = jobs.nightly(self.uow, utcnow())
        if result["ran"]:
            log.info("pool nightly run: %s", result)
