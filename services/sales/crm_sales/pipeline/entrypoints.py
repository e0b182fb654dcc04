"""Opportunities and competitors (SAL-03, SAL-04).

Mixed into SalesService (service.py); thin wrappers over the use cases.
"""
from crm_common.api_contract import api
from crm_common.pagination import ListQuery
from crm_common.service_base import rpc
from crm_common.stars import StarOut
from crm_sales.pipeline import queries, use_cases
from crm_sales.pipeline.schemas import (ActivityIn, CloseIn, CompetitorIn, CompetitorListQuery, CompetitorOut,
                                        CompetitorQuoteIn, ForecastOut, ForecastQuery, MoveIn, OpportunityIn,
                                        OpportunityListQuery, OpportunityOut, OpportunityUpdate, StageHistoryOut, StageIn, StageOut)


class PipelineEntrypoints:
    # opportunities and competitors (SAL-03, SAL-04)
    @rpc
    @api(body=StageIn, returns=StageOut)
    def create_opportunity_stage(self, payload):
        return use_cases.create_stage(self.uow(), self.principal, payload)

    @rpc
    @api(body=StageIn, partial=True, returns=StageOut)
    def update_opportunity_stage(self, stage_id, payload):
        return use_cases.update_stage(self.uow(), self.principal, stage_id, payload)

    @rpc
    @api(query=ListQuery, returns=StageOut, page=True)
    def list_opportunity_stages(self, query=None):
        return queries.list_stages(self.uow(), self.principal, query)

    @rpc
    @api(body=OpportunityIn, returns=OpportunityOut)
    def create_opportunity(self, payload):
        return use_cases.create(self.uow(), self.principal, payload, self.lookup_customer)

    @rpc
    @api(returns=OpportunityOut)
    def get_opportunity(self, opportunity_id):
        return queries.get(self.uow(), self.principal, opportunity_id)

    @rpc
    @api(query=OpportunityListQuery, returns=OpportunityOut, page=True)
    def list_opportunities(self, query):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=OpportunityUpdate, partial=True, returns=OpportunityOut)
    def update_opportunity(self, opportunity_id, payload):
        return use_cases.update(self.uow(), self.principal, opportunity_id, payload)

    @rpc
    @api(returns=StageHistoryOut)
    def opportunity_stage_history(self, opportunity_id):
        return queries.stage_history(self.uow(), self.principal, opportunity_id)

    @rpc
    @api(returns=StarOut)
    def star_opportunity(self, opportunity_id):
        return use_cases.set_star(self.uow(), self.principal, opportunity_id, True)

    @rpc
    @api(returns=StarOut)
    def unstar_opportunity(self, opportunity_id):
        return use_cases.set_star(self.uow(), self.principal, opportunity_id, False)

    @rpc
    @api(body=MoveIn, returns=OpportunityOut)
    def move_opportunity(self, opportunity_id, payload):
        return use_cases.move(self.uow(), self.principal, opportunity_id, payload)

    @rpc
    @api(body=CloseIn, returns=OpportunityOut)
    def win_opportunity(self, opportunity_id, payload):
        return use_cases.win(self.uow(), self.principal, opportunity_id, payload)

    @rpc
    @api(body=CloseIn, returns=OpportunityOut)
    def lose_opportunity(self, opportunity_id, payload):
        return use_cases.lose(self.uow(), self.principal, opportunity_id, payload)

    @rpc
    @api(body=CompetitorQuoteIn, returns=OpportunityOut)
    def add_competitor_quote(self, opportunity_id, payload):
        return use_cases.add_competitor_quote(self.uow(), self.principal, opportunity_id, payload)

    @rpc
    @api(query=ForecastQuery, returns=ForecastOut)
    def opportunity_forecast(self, query):
        return queries.forecast(self.uow(), self.principal, query)

    @rpc
    @api(body=CompetitorIn, returns=CompetitorOut)
    def create_competitor(self, payload):
        return use_cases.create_competitor(self.uow(), self.principal, payload)

    @rpc
    @api(body=CompetitorIn, partial=True, returns=CompetitorOut)
    def update_competitor(self, competitor_id, payload):
        return use_cases.update_competitor(self.uow(), self.principal, competitor_id, payload)

    @rpc
    @api(returns=CompetitorOut)
    def get_competitor(self, competitor_id):
        return queries.get_competitor(self.uow(), self.principal, competitor_id)

    @rpc
    @api(query=CompetitorListQuery, returns=CompetitorOut, page=True)
    def list_competitors(self, query):
        return queries.list_competitors(self.uow(), self.principal, query)

    @rpc
    @api(body=ActivityIn, returns=CompetitorOut)
    def add_competitor_activity(self, competitor_id, payload):
        return use_cases.add_competitor_activity(self.uow(), self.principal, competitor_id, payload)
