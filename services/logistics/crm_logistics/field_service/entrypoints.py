"""Entrypoints of field service: one RPC per step, each described as a variant of its own, and
the job that tells providers their feedback is overdue."""
import os

from nameko.timer import timer

from crm_common.api_contract import Contract, api
from crm_common.records import utcnow
from crm_common.service_base import rpc
from crm_logistics.field_service import queries, use_cases
from crm_logistics.field_service.schemas import (STEP_SCHEMAS, FieldServiceListQuery, FieldServiceOut,
                                                 RemindersIn, RemindersOut, RepairCallIn)

FEEDBACK_TICK_SECONDS = float(os.environ.get("CRM_FIELD_SERVICE_TICK_SECONDS", "600"))

# The gateway has one route per step; each step is described as a variant of field_service_step.
CONTRACT_VARIANTS = {f"field_service_step:{action}": Contract(body=schema, returns=FieldServiceOut)
                     for action, schema in STEP_SCHEMAS.items()}


class FieldServiceEntrypoints:
    contract_variants = CONTRACT_VARIANTS

    @rpc
    @api(body=RepairCallIn, returns=FieldServiceOut)
    def create_field_service_order(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=FieldServiceListQuery, returns=FieldServiceOut, page=True)
    def list_field_service_orders(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=FieldServiceOut)
    def get_field_service_order(self, order_id):
        return queries.get(self.uow(), self.principal, order_id)

    @rpc
    def field_service_step(self, order_id, action, payload=None):
        return use_cases.step(self.uow(), self.principal, order_id, action, payload)

    @rpc
    @api(body=RemindersIn, returns=RemindersOut)
    def run_field_service_reminders(self, payload=None):
        return use_cases.run_feedback_reminders(self.uow(), self.principal, payload)

    @timer(interval=FEEDBACK_TICK_SECONDS)
    def field_service_reminders_timer(self):
        use_cases.send_feedback_overdue(self.uow(), utcnow())
