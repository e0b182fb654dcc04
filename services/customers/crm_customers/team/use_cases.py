"""Add, change and remove a customer's team members; list them (crm_common.teams does the work)."""
from crm_common import teams
from crm_common.principal import Principal
from crm_customers.customers.queries import READ, TEAM_KIND, WRITE, find
from crm_customers.db import TEAM

_OF = {"find": find, "table": TEAM, "kind": TEAM_KIND}


def list_members(uow, principal: Principal, customer_id) -> list:
    return teams.list_use_case(uow, principal, customer_id, read=READ, **_OF)


def put_member(uow, principal: Principal, customer_id, payload) -> dict:
    return teams.put_use_case(uow, principal, customer_id, payload, write=WRITE, **_OF)


def remove_member(uow, principal: Principal, customer_id, user_id) -> None:
    teams.remove_use_case(uow, principal, customer_id, user_id, write=WRITE, **_OF)
