"""Payments through their use cases on the finance database alone."""
import uuid
from datetime import date

import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_common.statemachine import TransitionNotAllowed
from crm_finance.banking import queries as banking_queries
from crm_finance.banking import use_cases as banking
from crm_finance.payments import handlers, queries, use_cases
from crm_finance.receivables import use_cases as receipts

PERMISSIONS = {"payments.read", "payments.write", "bank_accounts.read", "bank_accounts.write",
               "receipts.write", "receivables.read"}


@pytest.fixture
def cashier(principal_factory):
    return principal_factory(permissions=PERMISSIONS, scope="own")


@pytest.fixture
def settled(uow, cashier, delivered):
    """What logistics.field_service_settled brings: a payment to the provider is opened."""
    def settle(amount="470.50", order_id=None):
        data = delivered("logistics.field_service_settled", {
            "field_service_order_id": order_id or str(uuid.uuid4()), "number": "FS-HQ-2026-000001",
            "provider_id": str(uuid.uuid4()), "provider_name": "上海维修服务公司", "amount": amount,
            "currency": "CNY", "owner_id": cashier.user_id, "department_path": cashier.department_path,
            "branch": cashier.branch})
        with uow() as unit:
            handlers.from_field_service(unit, data)
        return data
    return settle


@pytest.fixture
def funded_account(uow, cashier, open_receivable):
    """A CNY account holding 1000.00, received from a customer."""
    account = banking.create(uow(), cashier, {"name": "基本户", "bank_name": "建设银行", "account_no": "6217-1",
                                              "currency": "CNY"})
    receivable = open_receivable(cashier)
    receipts.create_receipt(uow(), cashier, {"receivable_id": receivable["id"], "amount": "1000.00",
                                             "method": "bank_transfer", "bank_account_id": account["id"]})
    return account


def only_payment(uow, cashier):
    [payment] = queries.list_(uow(), cashier, {})["items"]
    return payment


def test_a_settled_field_service_order_opens_a_pending_payment(uow, cashier, settled):
    settled()
    payment = only_payment(uow, cashier)
    assert (payment["kind"], payment["status"], payment["amount"]) == ("field_service_settlement", "pending", "470.50")
    assert payment["payee"] == "上海维修服务公司" and payment["number"].startswith("PY-HQ-")


def test_the_same_source_opens_one_payment(uow, cashier, settled):
    data = settled()
    settled(order_id=data["field_service_order_id"])
    only_payment(uow, cashier)


def test_an_approved_return_opens_a_refund(uow, cashier, delivered):
    data = delivered("sales.return_approved", {
        "return_id": str(uuid.uuid4()), "number": "RT-1", "order_id": str(uuid.uuid4()),
        "customer_id": str(uuid.uuid4()), "total": "99.90", "currency": "CNY", "lines": [],
        "owner_id": cashier.user_id, "department_path": cashier.department_path, "branch": cashier.branch})
    with uow() as unit:
        handlers.from_return(unit, data)
    payment = only_payment(uow, cashier)
    assert (payment["kind"], payment["amount"], payment["order_id"]) == ("refund", "99.90", data["order_id"])


def test_an_approved_customer_expense_reimburses_whoever_recorded_it(uow, cashier, delivered):
    spender = str(uuid.uuid4())  # not the customer's owner (the cashier here)
    data = delivered("customers.expense_approved", {
        "expense_id": str(uuid.uuid4()), "customer_id": str(uuid.uuid4()), "category": "招待", "amount": "300.00",
        "currency": "CNY", "spent_on": date(2026, 3, 1), "recorded_by": spender, "approved_by": str(uuid.uuid4()),
        "owner_id": cashier.user_id, "department_path": cashier.department_path, "branch": cashier.branch})
    with uow() as unit:
        handlers.from_expense(unit, data)
    payment = only_payment(uow, cashier)
    assert payment["kind"] == "expense_reimbursement" and payment["payee"] == f"user {spender}"


def test_paying_books_the_money_out_once(uow, cashier, settled, funded_account):
    settled()
    payment = only_payment(uow, cashier)
    paid = use_cases.pay(uow(), cashier, payment["id"], {"bank_account_id": funded_account["id"],
                                                         "paid_on": "2026-03-02"})
    assert (paid["status"], paid["paid_on"], paid["bank_account_id"]) == ("paid", "2026-03-02", funded_account["id"])
    assert banking_queries.get(uow(), cashier, funded_account["id"])["balance"] == "529.50"
    with pytest.raises(TransitionNotAllowed) as refused:
        use_cases.pay(uow(), cashier, payment["id"], {"bank_account_id": funded_account["id"]})
    assert refused.value.errors == {"status": ["paid"], "allowed_actions": []}
    assert banking_queries.get(uow(), cashier, funded_account["id"])["balance"] == "529.50"


def test_an_account_never_goes_below_zero(uow, cashier, settled, funded_account):
    settled(amount="1000.01")
    payment = only_payment(uow, cashier)
    with pytest.raises(InvalidInput) as refused:
        use_cases.pay(uow(), cashier, payment["id"], {"bank_account_id": funded_account["id"]})
    assert refused.value.errors == {"bank_account_id": ["Balance 1000.00 is less than 1000.01."]}
    assert queries.get(uow(), cashier, payment["id"])["status"] == "pending"


def test_paying_from_an_unknown_account_is_invalid_input(uow, cashier, settled):
    settled()
    with pytest.raises(InvalidInput):
        use_cases.pay(uow(), cashier, only_payment(uow, cashier)["id"], {"bank_account_id": str(uuid.uuid4())})
    with pytest.raises(InvalidInput):
        use_cases.pay(uow(), cashier, only_payment(uow, cashier)["id"], {})


def test_another_owners_payment_is_not_found(uow, cashier, settled, principal_factory):
    settled()
    payment = only_payment(uow, cashier)
    other = principal_factory(permissions=PERMISSIONS, scope="own")
    with pytest.raises(NotFound):
        queries.get(uow(), other, payment["id"])
    with pytest.raises(NotFound):
        use_cases.pay(uow(), other, payment["id"], {"bank_account_id": str(uuid.uuid4())})


def test_paying_needs_the_permission(uow, cashier, settled, principal_factory):
    settled()
    with pytest.raises(Forbidden):
        use_cases.pay(uow(), principal_factory(permissions={"payments.read"}, scope="all"),
                      only_payment(uow, cashier)["id"], {"bank_account_id": str(uuid.uuid4())})


def test_payments_are_listed_by_kind_and_status(uow, cashier, settled):
    settled()
    assert len(queries.list_(uow(), cashier, {"kind": "field_service_settlement", "status": "pending"})["items"]) == 1
    assert queries.list_(uow(), cashier, {"kind": "refund"})["items"] == []
