"""Payments are opened by other services' events: refunds of approved returns, field-service fee
settlements, approved customer-expense reimbursements, refunds of what an ended order was overpaid."""
from sqlalchemy.dialects.postgresql import insert

from crm_common.database import new_id
from crm_finance.db import SCOPE
from crm_finance.payments import rules
from crm_finance.payments.models import Payment


class _Duplicate(Exception):
    pass


def _open_payment(uow, kind: str, source_id: str, payee: str, data: dict, *, order_id=None, customer_id=None):
    """Idempotent per (kind, source): a repeated source event opens nothing new."""
    values = dict(id=new_id(), kind=kind, source_id=source_id, payee=payee, amount=data["amount"],
                  currency=data["currency"], status=rules.PENDING, order_id=order_id, customer_id=customer_id,
                  number=uow.document_number("payment", data["branch"]), **{key: data[key] for key in SCOPE})
    inserted = uow.session.execute(
        insert(Payment).values(**values).on_conflict_do_nothing(constraint="uq_payments_source")
        .returning(Payment.id)).first()
    if inserted is None:
        raise _Duplicate  # roll the number back with everything else


def _opening(uow, *args, **kwargs) -> None:
    session = uow.session
    savepoint = session.begin_nested()
    try:
        _open_payment(uow, *args, **kwargs)
    except _Duplicate:
        savepoint.rollback()
    else:
        savepoint.commit()


def from_return(uow, data: dict) -> None:
    _opening(uow, "refund", data["return_id"], f"customer {data['customer_id']}",
             {**data, "amount": data["total"]}, order_id=data["order_id"], customer_id=data["customer_id"])


def from_expense(uow, data: dict) -> None:
    """customers.expense_approved: reimburse whoever recorded (and spent) it, after its approval."""
    _opening(uow, "expense_reimbursement", data["expense_id"], f"user {data['recorded_by']}", data,
             customer_id=data["customer_id"])


def from_field_service(uow, data: dict) -> None:
    _opening(uow, "field_service_settlement", data["field_service_order_id"], data["provider_name"], data)


def from_advance(uow, advance) -> None:
    """An advance (预收款) of an order that ended unapproved goes back to the customer."""
    _opening(uow, "advance_refund", advance.id, f"customer {advance.customer_id}",
             {"amount": advance.amount, "currency": advance.currency, **{key: getattr(advance, key) for key in SCOPE}},
             order_id=advance.order_id, customer_id=advance.customer_id)


def from_closing(uow, receivable) -> None:
    """An order ended with more received than was shipped: the excess goes back to the customer."""
    _opening(uow, "closing_refund", receivable.id, f"customer {receivable.customer_id}",
             {"amount": receivable.refund_due, "currency": receivable.currency,
              **{key: getattr(receivable, key) for key in SCOPE}},
             order_id=receivable.order_id, customer_id=receivable.customer_id)
