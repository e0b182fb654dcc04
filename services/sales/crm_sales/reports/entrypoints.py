"""The sales reports of the report pack (issue 17) and the handlers that keep their rollups.
Mixed into SalesService; thin wrappers over the queries and handlers."""
from crm_common import exports
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.service_base import rpc
from crm_sales.reports import handlers, queries
from crm_sales.reports.schemas import (AmountsOut, FunnelOut, FunnelQuery, OpportunitiesOut, ProductRankingOut,
                                       ProductRankingQuery, RankingOut, RankingQuery, SalesPeriodQuery,
                                       TargetCompletionOut, TargetCompletionQuery)


class ReportsEntrypoints:
    @rpc
    @api(query=FunnelQuery, returns=FunnelOut)
    def funnel_report(self, query):
        return queries.funnel(self.uow(), self.principal, query)

    @rpc
    @api(query=SalesPeriodQuery, returns=OpportunitiesOut)
    def opportunities_report(self, query):
        return queries.opportunities(self.uow(), self.principal, query)

    @rpc
    @api(query=SalesPeriodQuery, returns=AmountsOut)
    def sales_amounts_report(self, query):
        return queries.amounts(self.uow(), self.principal, query)

    @rpc
    @api(query=RankingQuery, returns=RankingOut)
    def sales_ranking_report(self, query):
        return queries.ranking(self.uow(), self.principal, query)

    @rpc
    @api(query=ProductRankingQuery, returns=ProductRankingOut)
    def product_ranking_report(self, query):
        return queries.products(self.uow(), self.principal, query)

    @rpc
    @api(query=TargetCompletionQuery, returns=TargetCompletionOut)
    def target_completion_report(self, query):
        return queries.targets(self.uow(), self.principal, query)

    # each report as a file (the gateway writes the one page: crm_common.exports)
    @rpc
    @api(query=exports.export_query(FunnelQuery), media_type=exports.MEDIA_TYPES)
    def export_funnel_report(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, "funnel", query)

    @rpc
    @api(query=exports.export_query(SalesPeriodQuery), media_type=exports.MEDIA_TYPES)
    def export_opportunities_report(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, "opportunities", query)

    @rpc
    @api(query=exports.export_query(SalesPeriodQuery), media_type=exports.MEDIA_TYPES)
    def export_sales_amounts_report(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, "amounts", query)

    @rpc
    @api(query=exports.export_query(RankingQuery), media_type=exports.MEDIA_TYPES)
    def export_sales_ranking_report(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, "rankings", query)

    @rpc
    @api(query=exports.export_query(ProductRankingQuery), media_type=exports.MEDIA_TYPES)
    def export_product_ranking_report(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, "products", query)

    @rpc
    @api(query=exports.export_query(TargetCompletionQuery), media_type=exports.MEDIA_TYPES)
    def export_target_completion_report(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, "targets", query)

    # the rollups, kept from sales' own events
    @handles("sales.opportunity_changed")
    def on_opportunity_changed_report(self, uow, envelope, data):
        handlers.opportunity_changed(uow, envelope, data)

    @handles("sales.order_approved")
    def on_order_approved_report(self, uow, envelope, data):
        handlers.order_approved(uow, envelope, data)

    @handles("sales.contract_signed")
    def on_contract_signed_report(self, uow, envelope, data):
        handlers.contract_signed(uow, envelope, data)
