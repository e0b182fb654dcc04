"""Team members of opportunities and contracts (issue 17). Mixed into SalesService."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_common.teams import MemberIn, MemberOut
from crm_sales.team import use_cases


class TeamEntrypoints:
    @rpc
    @api(returns=MemberOut, many=True)
    def list_opportunity_members(self, opportunity_id):
        return use_cases.list_members(self.uow(), self.principal, "opportunity", opportunity_id)

    @rpc
    @api(body=MemberIn, returns=MemberOut)
    def put_opportunity_member(self, opportunity_id, payload):
        return use_cases.put_member(self.uow(), self.principal, "opportunity", opportunity_id, payload)

    @rpc
    @api()
    def remove_opportunity_member(self, opportunity_id, user_id):
        return use_cases.remove_member(self.uow(), self.principal, "opportunity", opportunity_id, user_id)

    @rpc
    @api(returns=MemberOut, many=True)
    def list_contract_members(self, contract_id):
        return use_cases.list_members(self.uow(), self.principal, "contract", contract_id)

    @rpc
    @api(body=MemberIn, returns=MemberOut)
    def put_contract_member(self, contract_id, payload):
        return use_cases.put_member(self.uow(), self.principal, "contract", contract_id, payload)

    @rpc
    @api()
    def remove_contract_member(self, contract_id, user_id):
        return use_cases.remove_member(self.uow(), self.principal, "contract", contract_id, user_id)
