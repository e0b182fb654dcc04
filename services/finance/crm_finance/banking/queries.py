"""Reads of bank accounts and their entries."""
from sqlalchemy import select

from crm_common.pagination import ListQuery, keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_query
from crm_finance.banking.models import BankAccount, BankEntry
from crm_finance.banking.schemas import BankAccountOut, BankEntriesOut, EntryListQuery

SORTS = {"created_at": BankAccount.created_at, "name": BankAccount.name}
ENTRY_SORTS = {"id": BankEntry.id}


def get(uow, principal: Principal, account_id) -> dict:
    principal.require("bank_accounts.read")
    with uow:
        return BankAccountOut().dump(get_in_scope(uow.session, BankAccount, account_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("bank_accounts.read")
    q = load_query(ListQuery(), query)
    stmt = select(BankAccount).where(scope_filter(principal, BankAccount))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, BankAccount.id, q, SORTS, "name")
        return {"items": BankAccountOut(many=True).dump(rows), "next_cursor": cursor}


def entries(uow, principal: Principal, account_id, query) -> dict:
    """The transaction list of one account, newest first."""
    principal.require("bank_accounts.read")
    q = load_query(EntryListQuery(), query)
    with uow:
        account = get_in_scope(uow.session, BankAccount, account_id, principal)
        stmt = select(BankEntry).where(BankEntry.bank_account_id == account.id)
        rows, cursor = keyset_page(uow.session, stmt, BankEntry.id, q, ENTRY_SORTS, "-id")
        return BankEntriesOut().dump({"items": rows, "next_cursor": cursor, "balance": account.balance})
