"""SMS and notices (WSP-09): thin entrypoints over the area's use cases and queries."""
from crm_common.api_contract import api
from crm_common.pagination import ListQuery
from crm_common.service_base import rpc
from crm_workspace.sms import providers, queries, use_cases
from crm_workspace.sms.schemas import OptOutIn, OptOutOut, SmsIn, SmsOut, SmsQuery


class SmsEntrypoints:
    @rpc
    @api(body=SmsIn, returns=SmsOut)
    def send_sms(self, payload):
        return use_cases.send(self.uow(), self.principal, payload, providers.configured())

    @rpc
    @api(query=SmsQuery, returns=SmsOut, page=True)
    def list_sms(self, query=None):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=OptOutIn, returns=OptOutOut)
    def add_sms_opt_out(self, payload):
        return use_cases.add_opt_out(self.uow(), self.principal, payload)

    @rpc
    @api(query=ListQuery, returns=OptOutOut, page=True)
    def list_sms_opt_outs(self, query=None):
        return queries.list_opt_outs(self.uow(), self.principal, query)

    @rpc
    @api()
    def remove_sms_opt_out(self, phone):
        use_cases.remove_opt_out(self.uow(), self.principal, phone)
