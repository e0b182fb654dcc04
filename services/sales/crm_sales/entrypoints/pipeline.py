"""Opportunities and competitors (SAL-03, SAL-04).

Mixed into SalesService (service.py); thin wrappers over the use cases.
"""
from crm_common.api_contract import api
from crm_common.pagination import ListQuery
from crm_common.service_base import rpc
from crm_sales import competitors, opportunities
from crm_sales.opportunity_schemas import (ActivityIn, CloseIn, CompetitorIn, CompetitorListQuery, CompetitorOut,
                                           CompetitorQuoteIn, ForecastOut, ForecastQuery, MoveIn, OpportunityIn,
                                           OpportunityListQuery, OpportunityOut, StageIn, StageOut)


class PipelineEntrypoints:
    # opportunities and competitors (SAL-03, SAL-04)
    @rpc
    @api(body=StageIn, returns=StageOut)
    def create_opportunity_stage(self, payload):
        return opportunities.create_stage(self.uow(), self.principal, payload)

    @rpc
    @api(body=StageIn, partial=True, returns=StageOut)
    def update_opportunity_stage(self, stage_id, payload):
        return opportunities.update_stage(self.uow(), self.principal, stage_id, payload)

    @rpc
    @api(query=ListQuery, returns=StageOut, page=True)
    def list_opportunity_stages(self, query=None):
        return opportunities.list_stages(self.uow(), self.principal, query)

    @rpc
    @api(body=OpportunityIn, returns=OpportunityOut)
    def create_opportunity(self, payload):
        return opportunities.create(self.uow(), self.principal, payload, self.lookup_customer)

    @rpc
    @api(returns=OpportunityOut)
    def get_opportunity(self, opportunity_id):
        return opportunities.get(self.uow(), self.principal, opportunity_id)

    @rpc
    @api(query=OpportunityListQuery, returns=OpportunityOut, page=True)
    def list_opportunities(self, query):
        return opportunities.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=MoveIn, returns=OpportunityOut)
    def move_opportunity(self, opportunity_id, payload):
        return opportunities.move(self.uow(), self.principal, opportunity_id, payload)

    @rpc
    @api(body=CloseIn, returns=OpportunityOut)
    def win_opportunity(self, opportunity_id, payload):
        return opportunities.win(self.uow(), self.principal, opportunity_id, payload)

    @rpc
    @api(body=CloseIn, returns=OpportunityOut)
    def lose_opportunity(self, opportunity_id, payload):
        return opportunities.lose(self.uow(), self.principal, opportunity_id, payload)

    @rpc
    @api(body=CompetitorQuoteIn, returns=OpportunityOut)
    def add_competitor_quote(self, opportunity_id, payload):
        return opportunities.add_competitor_quote(self.uow(), self.principal, opportunity_id, payload)

    @rpc
    @api(query=ForecastQuery, returns=ForecastOut)
    def opportunity_forecast(self, query):
        return opportunities.forecast(self.uow(), self.principal, query)

    @rpc
    @api(body=CompetitorIn, returns=CompetitorOut)
    def create_competitor(self, payload):
        return competitors.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=CompetitorIn, partial=True, returns=CompetitorOut)
    def update_competitor(self, competitor_id, payload):
        return competitors.update(self.uow(), self.principal, competitor_id, payload)

    @rpc
    @api(returns=CompetitorOut)
    def get_competitor(self, competitor_id):
        return competitors.get(self.uow(), self.principal, competitor_id)

    @rpc
    @api(query=CompetitorListQuery, returns=CompetitorOut, page=True)
    def list_competitors(self, query):
        return competitors.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=ActivityIn, returns=CompetitorOut)
    def add_competitor_activity(self, competitor_id, payload):
        return competitors.add_activity(self.uow(), self.principal, competitor_id, payload)
