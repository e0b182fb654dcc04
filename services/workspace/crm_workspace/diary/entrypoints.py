"""The business diary and work plans (WSP-05): thin entrypoints over the area's use cases and queries."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_workspace.diary import queries, use_cases
from crm_workspace.diary.schemas import (DateRangeQuery, DiaryEntryIn, DiaryEntryOut, PlanDetailOut, PlanIn,
                                         PlanOut, PlanQuery, PlanRecordIn, PlanRecordOut)


class DiaryEntrypoints:
    @rpc
    @api(body=DiaryEntryIn, returns=DiaryEntryOut)
    def create_diary_entry(self, payload):
        return use_cases.create_entry(self.uow(), self.principal, payload)

    @rpc
    @api(returns=DiaryEntryOut)
    def get_diary_entry(self, entry_id):
        return queries.get_entry(self.uow(), self.principal, entry_id)

    @rpc
    @api(body=DiaryEntryIn, partial=True, returns=DiaryEntryOut)
    def update_diary_entry(self, entry_id, payload):
        return use_cases.update_entry(self.uow(), self.principal, entry_id, payload)

    @rpc
    @api(query=DateRangeQuery, returns=DiaryEntryOut, page=True)
    def list_diary_entries(self, query=None):
        return queries.list_entries(self.uow(), self.principal, query)

    @rpc
    @api(body=PlanIn, returns=PlanDetailOut)
    def create_plan(self, payload):
        return use_cases.create_plan(self.uow(), self.principal, payload)

    @rpc
    @api(returns=PlanDetailOut)
    def get_plan(self, plan_id):
        return queries.get_plan(self.uow(), self.principal, plan_id)

    @rpc
    @api(query=PlanQuery, returns=PlanOut, page=True)
    def list_plans(self, query=None):
        return queries.list_plans(self.uow(), self.principal, query)

    @rpc
    @api(body=PlanRecordIn, returns=PlanRecordOut)
    def add_plan_record(self, plan_id, payload):
        return use_cases.add_record(self.uow(), self.principal, plan_id, payload)
