"""Entrypoints of dunning: an hourly timer and an operator's trigger."""
from nameko.timer import timer

from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_finance.dunning import use_cases
from crm_finance.dunning.schemas import DunningIn, DunningRunOut

DUNNING_INTERVAL_SECONDS = 3600  # hourly; each receivable is reminded about once per day


class DunningEntrypoints:
    @timer(interval=DUNNING_INTERVAL_SECONDS)
    def daily_dunning(self):
        use_cases.run(self.uow)

    @rpc
    @api(body=DunningIn, returns=DunningRunOut)
    def run_dunning(self, payload):
        return use_cases.run_now(self.uow, self.principal, payload)
