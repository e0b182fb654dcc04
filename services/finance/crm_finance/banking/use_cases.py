"""Use cases for bank accounts (FIN-06), and the booking every movement of money goes through."""
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal, scope_filter
from crm_common.records import is_uuid, ownership_of
from crm_common.validation import load_body
from crm_finance.banking.models import BankAccount, BankEntry
from crm_finance.banking.schemas import BankAccountIn, BankAccountOut


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
