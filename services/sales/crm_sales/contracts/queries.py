"""Reads of contracts: one contract with its history, lists, a change and its contract, approvals."""
from sqlalchemy import exists, or_, select

from crm_common.errors import NotFound
from crm_common import teams
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, is_uuid
from crm_common.validation import load_query
from crm_sales.approvals import queries as approvals
from crm_sales.contracts.models import Contract, ContractChange
from crm_sales.contracts.rules import DOCUMENT_TYPES
from crm_sales.contracts.schemas import ContractListQuery, ContractOut
from crm_sales.db import TEAM

SORTS = {"created_at": Contract.created_at, "end_date": Contract.end_date}
TEAM_KIND = "contract"
READ, WRITE = "contracts.read", "contracts.write"


def find(session, principal, contract_id, for_update=False, deciding=False) -> Contract:
    """In scope (or the team's), or a contract whose approval, or one of whose change orders and
    terminations, the caller is (or was) asked to approve: they read it and decide, never change it."""
    def approver(past):
        return or_(approvals.approver_of(principal, ("contract",), Contract.id, past=past),
                   exists().where(ContractChange.contract_id == Contract.id, approvals.approver_of(
                       principal, tuple(DOCUMENT_TYPES.values()), ContractChange.id, past=past)))
    return get_in_scope(session, Contract, contract_id, principal, for_update=for_update, team=(TEAM, TEAM_KIND),
                        **approvals.approver_scope(principal, (), Contract.id, for_update, deciding, approver))


def pending_change(session, contract: Contract) -> ContractChange | None:
    return session.execute(select(ContractChange).where(
        ContractChange.contract_id == contract.id, ContractChange.status == "pending")).scalar_one_or_none()


def change_of(session, principal: Principal, change_id, for_update=False,
              deciding=False) -> tuple[Contract, ContractChange]:
    """The change and its contract (out of the contract's scope → 404); when locking, the
    contract row first, as every other use case on the contract does."""
    contract_id = session.execute(select(ContractChange.contract_id).where(
        ContractChange.id == str(change_id), ContractChange.kind.in_(DOCUMENT_TYPES))).scalar_one_or_none() \
        if is_uuid(change_id) else None
    if contract_id is None:
        raise NotFound("Contract change not found")
    contract = find(session, principal, contract_id, for_update=for_update, deciding=deciding)
    change = session.get(ContractChange, str(change_id), with_for_update=for_update, populate_existing=True)
    return contract, change


def get(uow, principal: Principal, contract_id) -> dict:
    principal.require("contracts.read")
    with uow:
        return ContractOut().dump(find(uow.session, principal, contract_id))


def approval_history(uow, principal: Principal, contract_id) -> list:
    principal.require("contracts.read")
    with uow:
        contract = find(uow.session, principal, contract_id)
        return approvals.history_out(uow.session, principal, "contract", contract.id)


def change_approval_history(uow, principal: Principal, change_id) -> list:
    principal.require("contracts.read")
    with uow:
        _, change = change_of(uow.session, principal, change_id)
        return approvals.history_out(uow.session, principal, DOCUMENT_TYPES[change.kind], change.id)


def visible(principal: Principal):
    return select(Contract).where(scope_filter(principal, Contract))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("contracts.read")
    q = load_query(ContractListQuery(), query)
    halves = teams.either(principal, Contract, TEAM, TEAM_KIND)
    stmt = select(Contract) if halves else select(Contract).where(scope_filter(principal, Contract))
    if "status" in q:
        stmt = stmt.where(Contract.status == q["status"])
    if "customer_id" in q:
        stmt = stmt.where(Contract.customer_id == str(q["customer_id"]))
    if "expiring_before" in q:
        stmt = stmt.where(Contract.end_date <= q["expiring_before"])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Contract.id, q, SORTS, "-created_at", either=halves)
        return {"items": ContractOut(many=True, exclude=("changes",)).dump(rows), "next_cursor": cursor}
