"""Use cases for bank accounts (FIN-06): every movement is an entry; the balance is their sum."""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.pagination import ListQuery, keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, is_uuid, ownership_of
from crm_common.validation import load_body, load_query
from crm_finance.models import BankAccount, BankEntry
from crm_finance.schemas import BankAccountIn, BankAccountOut, BankEntriesOut, EntryListQuery

SORTS = {"created_at": BankAccount.created_at, "name": BankAccount.name}
ENTRY_SORTS = {"id": BankEntry.id}


def create(uow, principal: Principal, payload) -> dict:
    principal.require("bank_accounts.write")
    data = load_body(BankAccountIn(), payload)
    with uow:
        if uow.session.execute(select(BankAccount.id).where(BankAccount.account_no == data["account_no"])).first():
            raise Conflict("An account with this number exists", {"account_no": ["Already registered."]})
        account = BankAccount(id=new_id(), balance=Decimal(0), **data, **ownership_of(principal))
        uow.session.add(account)
        uow.session.flush()
        return BankAccountOut().dump(account)


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


def lock_for_booking(session, principal: Principal, account_id, currency: str) -> BankAccount:
    """The account named in a request body, row-locked; a bad choice is the body's fault (422).

    Accounts are always locked last (after the document being booked), one lock order for all.
    """
    account = None
    if is_uuid(account_id):
        account = session.execute(
            select(BankAccount).where(BankAccount.id == str(account_id), scope_filter(principal, BankAccount))
            .with_for_update().execution_options(populate_existing=True)).scalar_one_or_none()
    if account is None:
        raise InvalidInput("Unknown bank account", {"bank_account_id": ["No such bank account."]})
    if account.currency != currency:
        raise InvalidInput("Bank account currency differs",
                           {"bank_account_id": [f"The account holds {account.currency}, not {currency}."]})
    return account


def book(session, account: BankAccount, amount: Decimal, kind: str, source_id: str, source_number: str,
         booked_on: date) -> None:
    """Add one entry and move the cached balance by the same amount (account already locked)."""
    session.add(BankEntry(bank_account_id=account.id, amount=amount, kind=kind, source_id=source_id,
                          source_number=source_number, booked_on=booked_on))
    account.balance += amount
