"""Use cases for payments (FIN-07): paid once, by a person, from a bank account that never goes
below zero."""
from crm_common.errors import InvalidInput
from crm_common.principal import Principal
from crm_common.records import get_in_scope
from crm_common.validation import load_body
from crm_finance.advances import use_cases as advances
from crm_finance.banking.use_cases import book, lock_for_booking
from crm_finance.db import today
from crm_finance.payments import rules
from crm_finance.payments.models import Payment
from crm_finance.payments.schemas import PayIn, PaymentOut


def pay(uow, principal: Principal, payment_id, payload) -> dict:
    principal.require("payments.write")
    data = load_body(PayIn(), payload)
    with uow:
        payment = get_in_scope(uow.session, Payment, payment_id, principal, for_update=True)
        paid = rules.PAYMENT.next_status(payment.status, "pay")
        account = lock_for_booking(uow.session, principal, data["bank_account_id"], payment.currency)
        if account.balance < payment.amount:
            raise InvalidInput("Insufficient balance",
                               {"bank_account_id": [f"Balance {account.balance} is less than {payment.amount}."]})
        payment.status, payment.bank_account_id = paid, account.id
        payment.paid_on, payment.paid_by = data.get("paid_on") or today(), principal.user_id
        book(uow.session, account, -payment.amount, "payment", payment.id, payment.number, payment.paid_on)
        if payment.kind == "advance_refund":
            advances.refunded(uow.session, payment)
        uow.session.flush()
        return PaymentOut().dump(payment)
