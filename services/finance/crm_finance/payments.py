"""Use cases for payments (FIN-07): money out, opened by events from other services and paid by a
person from a bank account. Kinds: refunds of approved returns, field-service fee settlements,
customer-expense reimbursements. A bank account never goes below zero.
"""
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_body, load_query
from crm_finance import bank_accounts
from crm_finance.models import Payment
from crm_finance.receivables import SCOPE, today
from crm_finance.schemas import PayIn, PaymentListQuery, PaymentOut

SORTS = {"created_at": Payment.created_at, "number": Payment.number}
PENDING, PAID = "pending", "paid"


def open_payment(uow, kind: str, source_id: str, payee: str, data: dict, *, order_id=None, customer_id=None):
    """Idempotent per (kind, source): a repeated source event opens nothing new."""
    values = dict(id=new_id(), kind=kind, source_id=source_id, payee=payee, amount=data["amount"],
                  currency=data["currency"], status=PENDING, order_id=order_id, customer_id=customer_id,
                  number=uow.next_number(f"PY-{data['branch']}"), **{key: data[key] for key in SCOPE})
    inserted = uow.session.execute(
        insert(Payment).values(**values).on_conflict_do_nothing(constraint="uq_payments_source")
        .returning(Payment.id)).first()
    if inserted is None:
        raise _Duplicate  # roll the number back with everything else


class _Duplicate(Exception):
    pass


def from_return(uow, data: dict) -> None:
    _opening(uow, "refund", data["return_id"], f"customer {data['customer_id']}",
             {**data, "amount": data["total"]}, order_id=data["order_id"], customer_id=data["customer_id"])


def from_expense(uow, data: dict) -> None:
    _opening(uow, "expense_reimbursement", data["expense_id"], f"user {data['owner_id']}", data,
             customer_id=data["customer_id"])


def from_field_service(uow, data: dict) -> None:
    _opening(uow, "field_service_settlement", data["field_service_order_id"], data["provider_name"], data)


def _opening(uow, *args, **kwargs) -> None:
    session = uow.session
    savepoint = session.begin_nested()
    try:
        open_payment(uow, *args, **kwargs)
    except _Duplicate:
        savepoint.rollback()
    else:
        savepoint.commit()


def pay(uow, principal: Principal, payment_id, payload) -> dict:
    principal.require("payments.write")
    data = load_body(PayIn(), payload)
    with uow:
        payment = get_in_scope(uow.session, Payment, payment_id, principal, for_update=True)
        if payment.status != PENDING:
            raise Conflict(f"Payment is {payment.status}")
        account = bank_accounts.lock_for_booking(uow.session, principal, data["bank_account_id"], payment.currency)
        if account.balance < payment.amount:
            raise InvalidInput("Insufficient balance",
                               {"bank_account_id": [f"Balance {account.balance} is less than {payment.amount}."]})
        payment.status, payment.bank_account_id = PAID, account.id
        payment.paid_on, payment.paid_by = data.get("paid_on") or today(), principal.user_id
        bank_accounts.book(uow.session, account, -payment.amount, "payment", payment.id, payment.number,
                           payment.paid_on)
        uow.session.flush()
        return PaymentOut().dump(payment)


def get(uow, principal: Principal, payment_id) -> dict:
    principal.require("payments.read")
    with uow:
        return PaymentOut().dump(get_in_scope(uow.session, Payment, payment_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("payments.read")
    q = load_query(PaymentListQuery(), query)
    stmt = select(Payment).where(scope_filter(principal, Payment))
    for field in ("kind", "status"):
        if field in q:
            stmt = stmt.where(getattr(Payment, field) == q[field])
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Payment.id, q, SORTS, "-created_at")
        return {"items": PaymentOut(many=True).dump(rows), "next_cursor": cursor}
