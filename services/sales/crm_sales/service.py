"""Nameko entrypoints of the sales service: thin wrappers over the use cases."""
from nameko.rpc import RpcProxy
from nameko.timer import timer

from crm_common.api_contract import api
from crm_common.events.handlers import handles
from crm_common.outbox import UnitOfWorkProvider
from crm_common.pagination import ListQuery
from crm_common.records import utcnow
from crm_common.customer_merges import FollowsCustomerMerges
from crm_common.service_base import ServiceBase, rpc
from crm_common.validation import NoInput, load_body
from crm_sales.approval_schemas import (DecisionIn, FlowIn, FlowListQuery, FlowOut, FlowUpdateIn, InstanceOut,
                                        PendingQuery, RejectionIn)
from crm_sales.campaign_schemas import (CampaignIn, CampaignListQuery, CampaignOut, CampaignReportOut, CostIn, LeadIn,
                                        TaskIn)
from crm_sales.contract_schemas import (ChangeIn, ContractIn, ContractListQuery, ContractOut, ReasonIn, RemindersIn,
                                        RemindersOut, RenewalIn)
from crm_sales.models import Base
from crm_sales.opportunity_schemas import (ActivityIn, CloseIn, CompetitorIn, CompetitorListQuery, CompetitorOut,
                                           CompetitorQuoteIn, ForecastOut, ForecastQuery, MoveIn, OpportunityIn,
                                           OpportunityListQuery, OpportunityOut, StageIn, StageOut)
from crm_sales.quote_schemas import ConvertIn, QuoteIn, QuoteListQuery, QuoteOut
from crm_sales.return_schemas import ReturnIn, ReturnListQuery, ReturnOut
from crm_sales.samples import SampleReportQuery
from crm_sales.schemas import (OrderDetailOut, OrderIn, OrderListQuery, OrderOut, PriceRuleIn,
                               PriceRuleListQuery, PriceRuleOut, ProductIn, ProductListQuery, ProductOut,
                               SampleReportOut)
from crm_sales.target_schemas import TargetIn, TargetListQuery, TargetOut
from crm_sales import (approval_flows, campaigns, competitors, contracts, opportunities, orders, pool_extensions,
                       price_rules, products, quotes, returns, samples, targets)


def _no_input(payload) -> None:
    """An action that reads nothing still refuses a body that says something, like every other route."""
    load_body(NoInput(), payload or {})


class SalesService(FollowsCustomerMerges, ServiceBase):
    name = "sales"
    customer_tables = Base.metadata  # re-pointed when customers are merged
    uow = UnitOfWorkProvider()
    customers = RpcProxy("customers")
    # Lines are invoiced from finance.invoice_issued now, no longer when the receivable opens.
    retired_event_queues = ("evt-finance-receivable_opened--sales.on_receivable_opened",)

    def _customer_lookup(self, customer_id):
        return self.customers.get_customer(customer_id)

    # products and pricing (SAL-01, SAL-02)
    @rpc
    @api(body=ProductIn, returns=ProductOut)
    def create_product(self, payload):
        return products.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=ProductIn, partial=True, returns=ProductOut)
    def update_product(self, product_id, payload):
        return products.update(self.uow(), self.principal, product_id, payload)

    @rpc
    @api(returns=ProductOut)
    def get_product(self, product_id):
        return products.get(self.uow(), self.principal, product_id)

    @rpc
    @api(query=ProductListQuery, returns=ProductOut, page=True)
    def list_products(self, query):
        return products.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=PriceRuleIn, returns=PriceRuleOut)
    def create_price_rule(self, payload):
        return price_rules.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=PriceRuleIn, partial=True, returns=PriceRuleOut)
    def update_price_rule(self, rule_id, payload):
        return price_rules.update(self.uow(), self.principal, rule_id, payload)

    @rpc
    @api(returns=PriceRuleOut)
    def get_price_rule(self, rule_id):
        return price_rules.get(self.uow(), self.principal, rule_id)

    @rpc
    @api(query=PriceRuleListQuery, returns=PriceRuleOut, page=True)
    def list_price_rules(self, query):
        return price_rules.list_(self.uow(), self.principal, query)

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
        return opportunities.create(self.uow(), self.principal, payload, self._customer_lookup)

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

    # quotes (SAL-05)
    @rpc
    @api(body=QuoteIn, returns=QuoteOut)
    def create_quote(self, payload):
        return quotes.create(self.uow(), self.principal, payload, self._customer_lookup)

    @rpc
    @api(body=QuoteIn, returns=QuoteOut)
    def update_quote(self, quote_id, payload):
        return quotes.update(self.uow(), self.principal, quote_id, payload, self._customer_lookup)

    @rpc
    @api(returns=QuoteOut)
    def get_quote(self, quote_id):
        return quotes.get(self.uow(), self.principal, quote_id)

    @rpc
    @api(query=QuoteListQuery, returns=QuoteOut, page=True)
    def list_quotes(self, query):
        return quotes.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=ConvertIn, returns=OrderDetailOut)
    def convert_quote(self, quote_id, payload=None):
        return quotes.convert(self.uow(), self.principal, quote_id, payload)

    # orders (SAL-06, SAL-12 samples are orders of type "sample")
    @rpc
    @api(body=OrderIn, returns=OrderDetailOut)
    def create_order(self, payload):
        return orders.create(self.uow(), self.principal, payload, self._customer_lookup)

    @rpc
    @api(body=OrderIn, returns=OrderDetailOut)
    def update_order(self, order_id, payload):
        return orders.update(self.uow(), self.principal, order_id, payload, self._customer_lookup)

    @rpc
    @api(returns=OrderDetailOut)
    def get_order(self, order_id):
        return orders.get(self.uow(), self.principal, order_id)

    @rpc
    @api(query=OrderListQuery, returns=OrderOut, page=True)
    def list_orders(self, query):
        return orders.list_(self.uow(), self.principal, query)

    @rpc
    @api(query=SampleReportQuery, returns=SampleReportOut)
    def sample_report(self, query):
        return samples.report(self.uow(), self.principal, query)

    @rpc
    @api(returns=InstanceOut, many=True)
    def order_approvals(self, order_id):
        return orders.approval_history(self.uow(), self.principal, order_id)

    @rpc
    @api(body=NoInput, returns=OrderDetailOut)
    def submit_order(self, order_id, payload=None):
        _no_input(payload)
        return orders.submit(self.uow(), self.principal, order_id)

    @rpc
    @api(body=DecisionIn, returns=OrderDetailOut)
    def approve_order(self, order_id, payload=None):
        return orders.approve(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=RejectionIn, returns=OrderDetailOut)
    def reject_order(self, order_id, payload):
        return orders.reject(self.uow(), self.principal, order_id, payload)

    @rpc
    @api(body=NoInput, returns=OrderDetailOut)
    def cancel_order(self, order_id, payload=None):
        _no_input(payload)
        return orders.cancel(self.uow(), self.principal, order_id)

    @rpc
    @api(body=NoInput, returns=OrderDetailOut)
    def complete_order(self, order_id, payload=None):
        _no_input(payload)
        return orders.complete(self.uow(), self.principal, order_id)

    @rpc
    @api(body=NoInput, returns=OrderDetailOut)
    def close_order(self, order_id, payload=None):
        _no_input(payload)
        return orders.close(self.uow(), self.principal, order_id)

    @handles("logistics.shipment_recorded")
    def on_shipment_recorded(self, uow, envelope, data):
        orders.record_shipment(uow, data)

    @handles("finance.invoice_issued")
    def on_invoice_issued(self, uow, envelope, data):
        orders.record_invoice(uow, data)

    @handles("finance.receipt_recorded")
    def on_receipt_recorded(self, uow, envelope, data):
        orders.record_receipt(uow, data)

    @handles("logistics.shipment_cancelled")
    def on_shipment_cancelled(self, uow, envelope, data):
        orders.record_shipment(uow, data, sign=-1)

    @handles("finance.receipt_reversed")
    def on_receipt_reversed(self, uow, envelope, data):
        orders.record_receipt_reversed(uow, data)

    # returns (SAL-09)
    @rpc
    @api(body=ReturnIn, returns=ReturnOut)
    def create_return(self, payload):
        return returns.create(self.uow(), self.principal, payload)

    @rpc
    @api(returns=ReturnOut)
    def get_return(self, return_id):
        return returns.get(self.uow(), self.principal, return_id)

    @rpc
    @api(query=ReturnListQuery, returns=ReturnOut, page=True)
    def list_returns(self, query):
        return returns.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=InstanceOut, many=True)
    def return_approvals(self, return_id):
        return returns.approval_history(self.uow(), self.principal, return_id)

    @rpc
    @api(body=DecisionIn, returns=ReturnOut)
    def approve_return(self, return_id, payload=None):
        return returns.approve(self.uow(), self.principal, return_id, payload)

    @rpc
    @api(body=RejectionIn, returns=ReturnOut)
    def reject_return(self, return_id, payload):
        return returns.reject(self.uow(), self.principal, return_id, payload)

    # contracts (SAL-08)
    @rpc
    @api(body=ContractIn, returns=ContractOut)
    def create_contract(self, payload):
        return contracts.create(self.uow(), self.principal, payload, self._customer_lookup)

    @rpc
    @api(body=ContractIn, returns=ContractOut)
    def update_contract(self, contract_id, payload):
        return contracts.update(self.uow(), self.principal, contract_id, payload, self._customer_lookup)

    @rpc
    @api(returns=ContractOut)
    def get_contract(self, contract_id):
        return contracts.get(self.uow(), self.principal, contract_id)

    @rpc
    @api(query=ContractListQuery, returns=ContractOut, page=True)
    def list_contracts(self, query):
        return contracts.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=InstanceOut, many=True)
    def contract_approvals(self, contract_id):
        return contracts.approval_history(self.uow(), self.principal, contract_id)

    @rpc
    @api(body=NoInput, returns=ContractOut)
    def submit_contract(self, contract_id, payload=None):
        _no_input(payload)
        return contracts.submit(self.uow(), self.principal, contract_id)

    @rpc
    @api(body=DecisionIn, returns=ContractOut)
    def approve_contract(self, contract_id, payload=None):
        return contracts.approve(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=RejectionIn, returns=ContractOut)
    def reject_contract(self, contract_id, payload):
        return contracts.reject(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=ChangeIn, returns=ContractOut)
    def change_contract(self, contract_id, payload):
        return contracts.change(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=ReasonIn, returns=ContractOut)
    def terminate_contract(self, contract_id, payload):
        return contracts.terminate(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=ReasonIn, returns=ContractOut)
    def close_contract(self, contract_id, payload):
        return contracts.close(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=DecisionIn, returns=ContractOut)
    def approve_contract_change(self, change_id, payload=None):
        return contracts.approve_change(self.uow(), self.principal, change_id, payload)

    @rpc
    @api(body=RejectionIn, returns=ContractOut)
    def reject_contract_change(self, change_id, payload):
        return contracts.reject_change(self.uow(), self.principal, change_id, payload)

    @rpc
    @api(returns=InstanceOut, many=True)
    def contract_change_approvals(self, change_id):
        return contracts.change_approval_history(self.uow(), self.principal, change_id)

    @rpc
    @api(body=RenewalIn, returns=ContractOut)
    def renew_contract(self, contract_id, payload):
        return contracts.renew(self.uow(), self.principal, contract_id, payload)

    @rpc
    @api(body=RemindersIn, returns=RemindersOut)
    def run_contract_reminders(self, payload=None):
        return contracts.run_expiry_reminders(self.uow(), self.principal, payload)

    @timer(interval=3600)
    def contract_reminders_timer(self):
        contracts.send_expiry_reminders(self.uow(), utcnow())

    # campaigns (SAL-11)
    @rpc
    @api(body=CampaignIn, returns=CampaignOut)
    def create_campaign(self, payload):
        return campaigns.create(self.uow(), self.principal, payload)

    @rpc
    @api(returns=CampaignOut)
    def get_campaign(self, campaign_id):
        return campaigns.get(self.uow(), self.principal, campaign_id)

    @rpc
    @api(query=CampaignListQuery, returns=CampaignOut, page=True)
    def list_campaigns(self, query):
        return campaigns.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=CostIn, returns=CampaignOut)
    def add_campaign_cost(self, campaign_id, payload):
        return campaigns.add_cost(self.uow(), self.principal, campaign_id, payload)

    @rpc
    @api(body=TaskIn, returns=CampaignOut)
    def add_campaign_task(self, campaign_id, payload):
        return campaigns.add_task(self.uow(), self.principal, campaign_id, payload)

    @rpc
    @api(body=LeadIn, returns=CampaignOut)
    def add_campaign_lead(self, campaign_id, payload):
        return campaigns.add_lead(self.uow(), self.principal, campaign_id, payload, self._customer_lookup)

    @rpc
    @api(returns=CampaignReportOut)
    def campaign_report(self, campaign_id):
        return campaigns.report(self.uow(), self.principal, campaign_id)

    # targets (SAL-10)
    @rpc
    @api(body=TargetIn, returns=TargetOut)
    def create_target(self, payload):
        return targets.create(self.uow(), self.principal, payload)

    @rpc
    @api(returns=TargetOut)
    def get_target(self, target_id):
        return targets.get(self.uow(), self.principal, target_id)

    @rpc
    @api(query=TargetListQuery, returns=TargetOut, page=True)
    def list_targets(self, query):
        return targets.list_(self.uow(), self.principal, query)

    # approval engine (SAL-07)
    @rpc
    @api(body=FlowIn, returns=FlowOut)
    def create_approval_flow(self, payload):
        return approval_flows.create(self.uow(), self.principal, payload)

    @rpc
    @api(body=FlowUpdateIn, returns=FlowOut)
    def update_approval_flow(self, flow_id, payload):
        return approval_flows.update(self.uow(), self.principal, flow_id, payload)

    @rpc
    @api(returns=FlowOut)
    def get_approval_flow(self, flow_id):
        return approval_flows.get(self.uow(), self.principal, flow_id)

    @rpc
    @api(query=FlowListQuery, returns=FlowOut, page=True)
    def list_approval_flows(self, query):
        return approval_flows.list_(self.uow(), self.principal, query)

    @rpc
    @api(query=PendingQuery, returns=InstanceOut, page=True)
    def list_approvals(self, query):
        return approval_flows.pending_for_me(self.uow(), self.principal, query)

    @rpc
    @api(returns=InstanceOut)
    def get_approval(self, approval_id):
        return approval_flows.get_instance(self.uow(), self.principal, approval_id)

    # pool extensions of the customers service, decided here (SAL-07, CUS-07)
    @handles("customers.extension_requested")
    def on_extension_requested(self, uow, envelope, data):
        pool_extensions.open_approval(uow, data)

    @rpc
    @api(body=DecisionIn, returns=InstanceOut)
    def approve_pool_extension(self, request_id, payload=None):
        return pool_extensions.approve(self.uow(), self.principal, request_id, payload)

    @rpc
    @api(body=RejectionIn, returns=InstanceOut)
    def reject_pool_extension(self, request_id, payload):
        return pool_extensions.reject(self.uow(), self.principal, request_id, payload)

    @rpc
    @api(returns=InstanceOut, many=True)
    def pool_extension_approvals(self, request_id):
        return pool_extensions.approval_history(self.uow(), self.principal, request_id)
