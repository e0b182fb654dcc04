"""Customer statistics (CUS-09) and the report pack's customer reports (issue 17), with the
handlers that keep their rollups. Mixed into CustomersService; thin wrappers."""
from crm_common import exports
from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.rollups import PeriodQuery
from crm_common.service_base import rpc
from crm_customers.reports import queries, use_cases
from crm_customers.reports.schemas import (CustomerRankingOut, CustomerRankingQuery, FollowUpsOut, LeadsOut,
                                           StatisticsOut, StatisticsQuery)


class ReportsEntrypoints:
    @rpc
    @api(query=StatisticsQuery, returns=StatisticsOut)
    def customer_statistics(self, query):
        return queries.count(self.uow(), self.principal, query)

    @rpc
    @api(query=PeriodQuery, returns=FollowUpsOut)
    def follow_ups_report(self, query):
        return queries.follow_ups(self.uow(), self.principal, query)

    @rpc
    @api(query=PeriodQuery, returns=LeadsOut)
    def leads_report(self, query):
        return queries.leads(self.uow(), self.principal, query)

    @rpc
    @api(query=CustomerRankingQuery, returns=CustomerRankingOut)
    def customer_ranking_report(self, query):
        return queries.ranking(self.uow(), self.principal, query)

    @rpc
    @api(query=exports.export_query(PeriodQuery), media_type=exports.MEDIA_TYPES)
    def export_follow_ups_report(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, "follow_ups", query)

    @rpc
    @api(query=exports.export_query(PeriodQuery), media_type=exports.MEDIA_TYPES)
    def export_leads_report(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, "leads", query)

    @rpc
    @api(query=exports.export_query(CustomerRankingQuery), media_type=exports.MEDIA_TYPES)
    def export_customer_ranking_report(self, query, cursor=None):
        return queries.export(self.uow(), self.principal, "customer_ranking", query)

    @handles("customers.interaction_recorded")
    def on_interaction_recorded_report(self, uow, envelope, data):
        use_cases.interaction_recorded(uow, envelope, data)

    @handles("customers.lead_created")
    def on_lead_created_report(self, uow, envelope, data):
        use_cases.lead_created(uow, envelope, data)

    @handles("customers.lead_converted")
    def on_lead_converted_report(self, uow, envelope, data):
        use_cases.lead_converted(uow, envelope, data)

    @handles("customers.owner_changed")
    def on_owner_changed_report(self, uow, envelope, data):
        use_cases.owner_changed(uow, envelope, data)
