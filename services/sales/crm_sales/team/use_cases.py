"""Add, change and remove the team members of an opportunity or a contract; list them.

A customer's transfer may carry its opportunities and contracts along (`carried`, for
crm_common.teams.FollowsCustomerTransfers)."""
from crm_common import teams
from crm_common.principal import Principal
from crm_sales.contracts import queries as contracts
from crm_sales.contracts.models import Contract
from crm_sales.db import TEAM
from crm_sales.pipeline import queries as pipeline
from crm_sales.pipeline.models import Opportunity

KINDS = {
    pipeline.TEAM_KIND: {"find": pipeline.find, "read": pipeline.READ, "write": pipeline.WRITE},
    contracts.TEAM_KIND: {"find": contracts.find, "read": contracts.READ, "write": contracts.WRITE},
}
# what a customer's transfer moves along: every one of them the previous owner owns
carried = {pipeline.TEAM_KIND: Opportunity, contracts.TEAM_KIND: Contract}


def list_members(uow, principal: Principal, kind: str, record_id) -> list:
    of = KINDS[kind]
    return teams.list_use_case(uow, principal, record_id, find=of["find"], table=TEAM, kind=kind, read=of["read"])


def put_member(uow, principal: Principal, kind: str, record_id, payload) -> dict:
    of = KINDS[kind]
    return teams.put_use_case(uow, principal, record_id, payload, find=of["find"], table=TEAM, kind=kind,
                              write=of["write"])


def remove_member(uow, principal: Principal, kind: str, record_id, user_id) -> None:
    of = KINDS[kind]
    teams.remove_use_case(uow, principal, record_id, user_id, find=of["find"], table=TEAM, kind=kind,
                          write=of["write"])
