"""Team members of a customer (issue 17). Mixed into CustomersService."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_common.teams import MemberIn, MemberOut
from crm_customers.team import use_cases


class TeamEntrypoints:
    @rpc
    @api(returns=MemberOut, many=True)
    def list_customer_members(self, customer_id):
        return use_cases.list_members(self.uow(), self.principal, customer_id)

    @rpc
    @api(body=MemberIn, returns=MemberOut)
    def put_customer_member(self, customer_id, payload):
        return use_cases.put_member(self.uow(), self.principal, customer_id, payload)

    @rpc
    @api()
    def remove_customer_member(self, customer_id, user_id):
        return use_cases.remove_member(self.uow(), self.principal, customer_id, user_id)
