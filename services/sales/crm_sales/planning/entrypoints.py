"""Campaigns and targets (SAL-10, SAL-11).

Mixed into SalesService (service.py); thin wrappers over the use cases.
"""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_sales.planning import queries, use_cases
from crm_sales.planning.schemas import (CampaignIn, CampaignListQuery, CampaignOut, CampaignReportOut, CampaignUpdate,
                                        CostIn, LeadIn, TargetIn, TargetListQuery, TargetOut, TargetUpdate, TaskIn)


class PlanningEntrypoints:
    # campaigns (SAL-11)
    @rpc
    @api(body=CampaignIn, returns=CampaignOut)
    def create_campaign(self, payload):
        return use_cases.create_campaign(self.uow(), self.principal, payload)

    @rpc
    @api(returns=CampaignOut)
    def get_campaign(self, campaign_id):
        return queries.get_campaign(self.uow(), self.principal, campaign_id)

    @rpc
    @api(query=CampaignListQuery, returns=CampaignOut, page=True)
    def list_campaigns(self, query):
        return queries.list_campaigns(self.uow(), self.principal, query)

    @rpc
    @api(body=CampaignUpdate, partial=True, returns=CampaignOut)
    def update_campaign(self, campaign_id, payload):
        return use_cases.update_campaign(self.uow(), self.principal, campaign_id, payload)

    @rpc
    @api(body=NoInput, returns=CampaignOut)
    def complete_campaign_task(self, task_id, payload=None):
        return use_cases.complete_task(self.uow(), self.principal, task_id, payload)

    @rpc
    @api(body=CostIn, returns=CampaignOut)
    def add_campaign_cost(self, campaign_id, payload):
        return use_cases.add_cost(self.uow(), self.principal, campaign_id, payload)

    @rpc
    @api(body=TaskIn, returns=CampaignOut)
    def add_campaign_task(self, campaign_id, payload):
        return use_cases.add_task(self.uow(), self.principal, campaign_id, payload)

    @rpc
    @api(body=LeadIn, returns=CampaignOut)
    def add_campaign_lead(self, campaign_id, payload):
        return use_cases.add_lead(self.uow(), self.principal, campaign_id, payload, self.lookup_customer)

    @rpc
    @api(returns=CampaignReportOut)
    def campaign_report(self, campaign_id):
        return queries.campaign_report(self.uow(), self.principal, campaign_id)

    # targets (SAL-10)
    @rpc
    @api(body=TargetIn, returns=TargetOut)
    def create_target(self, payload):
        return use_cases.create_target(self.uow(), self.principal, payload)

    @rpc
    @api(returns=TargetOut)
    def get_target(self, target_id):
        return queries.get_target(self.uow(), self.principal, target_id)

    @rpc
    @api(query=TargetListQuery, returns=TargetOut, page=True)
    def list_targets(self, query):
        return queries.list_targets(self.uow(), self.principal, query)

    @rpc
    @api(body=TargetUpdate, partial=True, returns=TargetOut)
    def update_target(self, target_id, payload):
        return use_cases.update_target(self.uow(), self.principal, target_id, payload)

    @rpc
    @api(body=NoInput, returns=TargetOut)
    def close_target(self, target_id, payload=None):
        return use_cases.close_target(self.uow(), self.principal, target_id, payload)
