"""Finance over HTTP (FIN-01..08): bank accounts, receipts and reversals, invoices, payment plans,
ageing and dunning, payments from other services' events, customer statements. After every
scenario `make check-ledger`'s invariants must hold (fixture `ledger_checked`)."""
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from crm_common.branch_time import current_day  # the suite's days are Beijing's

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("ledger_checked")]
FINANCE_PERMISSIONS = ["receivables.read", "receivables.write", "receipts.read", "receipts.write",
                       "invoices.read", "invoices.write", "bank_accounts.read", "bank_accounts.write",
                       "payments.read", "payments.write", "finance.reports", "fulfilments.read"]


def _wait_for_money_picture(helpers, receivable, received: str) -> None:
    """The customers service's money picture follows orders, receivables and receipts by event;
    "nothing changed" is counted once it has caught up, or a late event would count as a change."""
    assert helpers.eventually(lambda: helpers.rows(
        "customers", "SELECT 1 FROM money_receivables r JOIN money_orders o ON o.order_id = %s"
        " WHERE r.receivable_id = %s AND r.amount IS NOT NULL AND r.received = %s AND o.approved_at IS NOT NULL",
        (receivable["order_id"], receivable["id"], received)), timeout=15)


@pytest.fixture(scope="session")
def clerk(admin, org, helpers):
    """A finance clerk of the branch (branch scope), like the cashier of 财务部."""
    role = admin.post("/roles", json={"name": "Finance clerk", "permissions": FINANCE_PERMISSIONS,
                                      "data_scope": "branch"}).json()
    user = admin.post("/users", json={"code": "clerk", "name": "Clerk", "password": "clerk-password",
                                      "department_id": org["departments"]["Sales East"]["id"],
                                      "role_ids": [role["id"]]})
    assert user.status_code == 201, user.text
    return helpers.login("clerk", "clerk-password")


def _account(clerk, currency="CNY"):
    response = clerk.post("/bank-accounts", json={"name": f"基本户 {currency}", "bank_name": "工商银行",
                                                  "account_no": uuid.uuid4().hex[:20], "currency": currency})
    assert response.status_code == 201, response.text
    return response.json()


def _receipt(api, receivable, amount, account=None, **extra):
    body = {"receivable_id": receivable["id"], "amount": amount, "method": "bank_transfer", **extra}
    if account:
        body["bank_account_id"] = account["id"]
    return api.post("/receipts", json=body)


def test_receipts_into_a_bank_account_partial_and_reversed(clerk, approved_order, helpers):
    receivable = approved_order(prices=("19.99",))["receivable"]  # 199.90
    account, usd_account = _account(clerk), _account(clerk, "USD")
    first = _receipt(clerk, receivable, "100.00", account)
    assert first.status_code == 201, first.text
    assert _receipt(clerk, receivable, "50.00", account).status_code == 201

    _wait_for_money_picture(helpers, receivable, "150.00")
    before = helpers.table_counts()
    refused = [_receipt(clerk, receivable, "49.91", account),  # more than the 49.90 outstanding
               _receipt(clerk, receivable, "10.00", account, currency="USD"),  # wrong currency
               _receipt(clerk, receivable, "10.00", usd_account),  # account in another currency
               _receipt(clerk, receivable, "10.00", {"id": str(uuid.uuid4())})]
    assert [r.status_code for r in refused] == [422] * 4
    assert "amount" in refused[0].json()["errors"] and "currency" in refused[1].json()["errors"]
    assert "bank_account_id" in refused[2].json()["errors"]
    assert helpers.table_counts() == before

    assert clerk.get(f"/bank-accounts/{account['id']}").json()["balance"] == "150.00"
    reversed_ = clerk.post(f"/receipts/{first.json()['id']}/reverse", json={"reason": "退票"})
    assert reversed_.status_code == 200, reversed_.text
    assert reversed_.json()["reversed"] is True and reversed_.json()["amount"] == "100.00"  # not edited
    _wait_for_money_picture(helpers, receivable, "50.00")
    before = helpers.table_counts()
    again = clerk.post(f"/receipts/{first.json()['id']}/reverse", json={"reason": "twice"})
    assert again.status_code == 409 and helpers.table_counts() == before

    after = clerk.get(f"/receivables/{receivable['id']}").json()
    assert after["received"] == "50.00" and after["outstanding"] == "149.90"
    entries = clerk.get(f"/bank-accounts/{account['id']}/entries").json()
    assert [e["amount"] for e in entries["items"]] == ["-100.00", "50.00", "100.00"]
    assert entries["balance"] == "50.00"


def test_receipt_and_reversal_events_carry_the_contract(clerk, approved_order, bus):
    receivable = approved_order()["receivable"]
    with bus.listen("finance.receipt_recorded") as recorded, bus.listen("finance.receipt_reversed") as undone:
        receipt = _receipt(clerk, receivable, "12.34").json()
        clerk.post(f"/receipts/{receipt['id']}/reverse", json={"reason": "wrong customer"})
        got = recorded(lambda d: d["receipt_id"] == receipt["id"])
        assert got and got[0]["amount"] == "12.34" and got[0]["order_id"] == receivable["order_id"]
        assert got[0]["owner_id"] == receivable["owner_id"]
        assert undone(lambda d: d["receipt_id"] == receipt["id"] and d["amount"] == "12.34")


def test_two_concurrent_receipts_exceeding_outstanding_one_is_refused(clerk, approved_order, helpers):
    receivable = approved_order()["receivable"]  # 199.90 outstanding
    clerks = [helpers.login("clerk", "clerk-password") for _ in range(2)]
    results = helpers.at_once(*(lambda api=api: _receipt(api, receivable, "120.00").status_code for api in clerks))
    assert sorted(results) == [201, 422]
    assert clerk.get(f"/receivables/{receivable['id']}").json()["received"] == "120.00"


def test_invoices_partial_per_line_with_tax_never_beyond_the_order(clerk, rep_a, approved_order, helpers, bus):
    made = approved_order(prices=("10.00", "3.33"), quantities=["5", "3"])  # 50.00 + 9.99 = 59.99
    order, receivable = made["order"], made["receivable"]
    lines = {line["unit_price"]: line for line in order["lines"]}
    helpers.eventually(lambda: clerk.get(f"/receivables/{receivable['id']}/invoicing").json()["lines"])

    assert rep_a.post("/invoices", json={"order_id": order["id"], "amount": "1.00"}).status_code == 403
    with bus.listen("finance.invoice_issued") as issued:
        first = clerk.post("/invoices", json={"order_id": order["id"], "title": "宁波天马",
                                              "lines": [{"order_line_id": lines["10.00"]["id"], "amount": "30.00"}]})
        assert first.status_code == 201, first.text
        first = first.json()
        # 13% VAT inside 30.00: 30 * 0.13 / 1.13 = 3.4513… → 3.45, net the remainder
        assert (first["tax_amount"], first["net_amount"], first["tax_rate"]) == ("3.45", "26.55", "0.1300")
        event = issued(lambda d: d["invoice_id"] == first["id"])
        assert event and event[0]["lines"] == [{"order_line_id": lines["10.00"]["id"], "amount": "30.00"}]

    before = helpers.table_counts()
    over_line = clerk.post("/invoices", json={"order_id": order["id"],
                                              "lines": [{"order_line_id": lines["10.00"]["id"], "amount": "20.01"}]})
    over_order = clerk.post("/invoices", json={"order_id": order["id"], "amount": "30.00"})
    foreign_line = clerk.post("/invoices", json={"order_id": order["id"],
                                                 "lines": [{"order_line_id": str(uuid.uuid4()), "amount": "1.00"}]})
    assert [r.status_code for r in (over_line, over_order, foreign_line)] == [422, 422, 422]
    assert helpers.table_counts() == before

    rest = clerk.post("/invoices", json={"order_id": order["id"], "amount": "29.99", "tax_rate": "0.06"})
    assert rest.status_code == 201, rest.text
    assert Decimal(rest.json()["tax_amount"]) + Decimal(rest.json()["net_amount"]) == Decimal("29.99")
    invoicing = clerk.get(f"/receivables/{receivable['id']}/invoicing").json()
    assert (invoicing["invoiced"], invoicing["not_invoiced"]) == ("59.99", "0.00")
    per_line = {line["order_line_id"]: line for line in invoicing["lines"]}
    assert per_line[lines["10.00"]["id"]]["not_invoiced"] == "20.00"
    assert clerk.post("/invoices", json={"order_id": order["id"], "amount": "0.01"}).status_code == 422


def test_invoice_numbers_stay_gap_free_under_16_concurrent_issuers(clerk, approved_order, helpers):
    order = approved_order(prices=("19.99",), quantities=["100"])["order"]  # 1999.00
    numbers, failures = [], []

    def issue(api):
        for _ in range(3):
            response = api.post("/invoices", json={"order_id": order["id"], "amount": "1.00"})
            (numbers.append(response.json()["number"]) if response.status_code == 201
             else failures.append(response.text))

    clerks = [helpers.login("clerk", "clerk-password") for _ in range(16)]
    helpers.at_once(*(lambda api=api: issue(api) for api in clerks))
    assert not failures and len(numbers) == 48
    # a refused invoice takes no number either
    assert clerk.post("/invoices", json={"order_id": order["id"], "amount": "5000.00"}).status_code == 422
    numbers.append(clerk.post("/invoices", json={"order_id": order["id"], "amount": "1.00"}).json()["number"])
    prefix = numbers[0].rsplit("-", 1)[0]
    sequence = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert all(n.startswith(prefix) for n in numbers)
    assert sequence == list(range(sequence[0], sequence[0] + 49))
    used = helpers.rows("finance", "SELECT number FROM invoices WHERE number LIKE %s", (prefix + "-%",))
    everything = sorted(int(n.rsplit("-", 1)[1]) for (n,) in used)
    assert everything == list(range(1, len(everything) + 1))  # no gap since the year began


def test_payment_plan_instalments_drive_the_due_date(clerk, approved_order):
    receivable = approved_order()["receivable"]  # 199.90
    first, second = current_day() + timedelta(days=10), current_day() + timedelta(days=40)
    bad = clerk.put(f"/receivables/{receivable['id']}/plan", json={"instalments": [
        {"due_date": first.isoformat(), "amount": "100.00"}, {"due_date": second.isoformat(), "amount": "99.00"}]})
    assert bad.status_code == 422
    disorder = clerk.put(f"/receivables/{receivable['id']}/plan", json={"instalments": [
        {"due_date": second.isoformat(), "amount": "100.00"}, {"due_date": first.isoformat(), "amount": "99.90"}]})
    assert disorder.status_code == 422
    plan = clerk.put(f"/receivables/{receivable['id']}/plan", json={"instalments": [
        {"due_date": first.isoformat(), "amount": "100.00"}, {"due_date": second.isoformat(), "amount": "99.90"}]})
    assert plan.status_code == 200, plan.text
    assert plan.json()["due_date"] == first.isoformat()
    assert _receipt(clerk, receivable, "120.00").status_code == 201
    plan = clerk.get(f"/receivables/{receivable['id']}/plan").json()
    assert [(i["paid"], i["status"]) for i in plan["instalments"]] == [("100.00", "paid"), ("20.00", "open")]
    assert clerk.get(f"/receivables/{receivable['id']}").json()["due_date"] == second.isoformat()


def test_ageing_buckets_and_daily_dunning_once_per_day(clerk, admin, rep_b, approved_order, bus):
    receivable = approved_order(payment_terms_days=0)["receivable"]  # due today
    as_of = current_day() + timedelta(days=45)
    mine = clerk.get("/finance/ageing", params={"as_of": as_of.isoformat(),
                                                "customer_id": receivable["customer_id"]}).json()
    assert mine["currencies"]["CNY"]["31-60"] == {"count": 1, "outstanding": "199.90"}
    assert mine["currencies"]["CNY"]["overdue_total"] == "199.90"
    today = clerk.get("/finance/ageing", params={"customer_id": receivable["customer_id"]}).json()
    assert today["currencies"]["CNY"]["current"]["count"] == 1
    assert clerk.get("/finance/ageing", params={"as_of": "yesterday"}).status_code == 400
    assert rep_b.get("/finance/ageing").status_code == 403

    assert clerk.post("/finance/dunning/run", json={}).status_code == 403
    with bus.listen("finance.receivable_overdue") as overdue:
        run = admin.post("/finance/dunning/run", json={"as_of": as_of.isoformat()})
        assert run.status_code == 200, run.text
        assert run.json()["reminded"] >= 1
        event = overdue(lambda d: d["receivable_id"] == receivable["id"])
        assert event and (event[0]["days_overdue"], event[0]["bucket"], event[0]["outstanding"]) == (45, "31-60", "199.90")
        assert event[0]["owner_id"] == receivable["owner_id"]
    assert admin.post("/finance/dunning/run", json={"as_of": as_of.isoformat()}).json()["reminded"] == 0


def test_customer_statement_within_scope(clerk, rep_b, approved_order):
    made = approved_order()
    customer_id, receivable = made["customer_id"], made["receivable"]
    second = approved_order(customer_id=customer_id, payment_terms_days=0)["receivable"]
    assert _receipt(clerk, receivable, "50.00").status_code == 201
    assert clerk.post("/invoices", json={"order_id": receivable["order_id"], "amount": "100.00"}).status_code == 201
    as_of = (current_day() + timedelta(days=5)).isoformat()
    statement = clerk.get(f"/finance/statements/{customer_id}", params={"as_of": as_of}).json()
    assert statement["totals"]["CNY"] == {"receivables": 2, "amount": "399.80", "received": "50.00",
                                          "outstanding": "349.80", "invoiced": "100.00", "not_invoiced": "299.80",
                                          "arrears": "199.90", "reversed": "0.00"}
    assert {r["id"] for r in statement["receivables"]} == {receivable["id"], second["id"]}
    assert len(statement["receipts"]) == 1 and len(statement["invoices"]) == 1
    # rep_b cannot use the statement to see another department's customer
    assert rep_b.get(f"/finance/statements/{customer_id}").status_code == 403


def test_payments_refund_reimbursement_and_insufficient_balance(clerk, org, approved_order, bus, helpers):
    made = approved_order()
    rep = org["users"]["rep_a"]
    scope = {"owner_id": rep["id"], "department_path": made["receivable"]["department_path"], "branch": "HQ"}
    line = made["order"]["lines"][0]
    return_id, expense_id = str(uuid.uuid4()), str(uuid.uuid4())
    bus.publish("sales.return_approved", {
        "return_id": return_id, "number": "RT-HQ-2026-000001", "order_id": made["order"]["id"],
        "customer_id": made["customer_id"],
        "lines": [{"order_line_id": line["id"], "product_id": line["product_id"], "quantity": "2",
                   "unit_price": "19.99", "amount": "39.98"}], "total": "39.98", "currency": "CNY", **scope})
    recorder = org["users"]["manager_a"]["id"]  # who spent the money, not the customer's owner
    bus.publish("customers.expense_approved", {
        "expense_id": expense_id, "customer_id": made["customer_id"], "amount": "88.00", "currency": "CNY",
        "category": "travel", "spent_on": current_day(), "recorded_by": recorder, "approved_by": rep["id"],
        **scope})
    def both():
        found = [p for p in clerk.get("/payments").json()["items"] if p["source_id"] in (return_id, expense_id)]
        return found if len(found) == 2 else None

    payments = helpers.eventually(both)
    assert payments and all(p["status"] == "pending" for p in payments)
    by_kind = {p["kind"]: p for p in payments}
    assert by_kind["refund"]["amount"] == "39.98" and by_kind["expense_reimbursement"]["amount"] == "88.00"
    assert by_kind["expense_reimbursement"]["payee"] == f"user {recorder}"

    account = _account(clerk)
    # finance's tables and outbox: the other services are still being told of the expense above
    finance = lambda: {k: v for k, v in helpers.table_counts().items() if k.startswith("finance.")}  # noqa: E731
    before = finance()
    poor = clerk.post(f"/payments/{by_kind['refund']['id']}/pay", json={"bank_account_id": account["id"]})
    assert poor.status_code == 422 and finance() == before
    assert _receipt(clerk, made["receivable"], "199.90", account).status_code == 201
    paid = clerk.post(f"/payments/{by_kind['refund']['id']}/pay", json={"bank_account_id": account["id"]})
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "paid"
    assert clerk.post(f"/payments/{by_kind['refund']['id']}/pay",
                      json={"bank_account_id": account["id"]}).status_code == 409
    assert clerk.get(f"/bank-accounts/{account['id']}").json()["balance"] == "159.92"


def test_two_concurrent_reversals_of_one_receipt_one_is_refused(clerk, approved_order, helpers):
    receivable = approved_order()["receivable"]
    account = _account(clerk)
    receipt = _receipt(clerk, receivable, "80.00", account).json()
    clerks = [helpers.login("clerk", "clerk-password") for _ in range(2)]
    results = helpers.at_once(*(lambda api=api: api.post(
        f"/receipts/{receipt['id']}/reverse", json={"reason": "dup"}).status_code for api in clerks))
    assert sorted(results) == [200, 409]
    assert clerk.get(f"/bank-accounts/{account['id']}").json()["balance"] == "0.00"
    assert clerk.get(f"/receivables/{receivable['id']}").json()["received"] == "0.00"


def test_a_deposit_before_approval_is_received_on_approval_or_refunded_on_rejection(clerk, admin, rep_a, manager_a,
                                                                                   helpers):
    """预收款 (issue 14): money against a submitted order, before its receivable exists."""
    product = admin.post("/products", json={"code": f"ADV-{uuid.uuid4().hex[:8]}", "name": "定金货品",
                                            "list_price": "50.00", "unit": "pcs"}).json()
    customer = rep_a.post("/customers", json={"name": "宁波预收款测试客户", "confirm_duplicate": True}).json()["id"]
    account = _account(clerk)

    def submitted_with_deposit(amount):
        order = rep_a.post("/orders", json={"customer_id": customer, "lines": [
            {"product_id": product["id"], "quantity": "10"}]}).json()  # 500.00
        assert rep_a.post(f"/orders/{order['id']}/submit").status_code == 200
        path = f"/orders/{order['id']}/advance-receipts"
        assert helpers.eventually(lambda: clerk.get(path).status_code == 200)
        over = clerk.post(path, json={"amount": "500.01", "method": "bank_transfer"})
        assert over.status_code == 422 and "amount" in over.text, over.text
        deposit = clerk.post(path, json={"amount": amount, "method": "bank_transfer", "bank_account_id": account["id"],
                                         "reference": "定金"})
        assert deposit.status_code == 201, deposit.text
        assert deposit.json()["status"] == "held"
        return order, deposit.json()

    order, deposit = submitted_with_deposit("150.00")
    assert manager_a.post(f"/orders/{order['id']}/approve", json={}).status_code == 200
    receivable = helpers.eventually(lambda: clerk.get("/receivables", params={"order_id": order["id"]}).json()["items"])
    detail = clerk.get(f"/receivables/{receivable[0]['id']}").json()
    assert (detail["received"], detail["outstanding"]) == ("150.00", "350.00")
    assert [(r["number"], r["advance_id"]) for r in detail["receipts"]] == [(deposit["number"], deposit["id"])]
    advances = clerk.get(f"/orders/{order['id']}/advance-receipts").json()
    assert (advances["applied"], advances["items"][0]["status"]) == ("150.00", "applied")

    rejected, deposit = submitted_with_deposit("200.00")
    assert manager_a.post(f"/orders/{rejected['id']}/reject", json={"comment": "价格不符"}).status_code == 200
    refund = helpers.eventually(lambda: clerk.get("/payments", params={"source_id": deposit["id"]}).json()["items"])
    assert (refund[0]["kind"], refund[0]["amount"]) == ("advance_refund", "200.00")
    assert clerk.get(f"/orders/{rejected['id']}/advance-receipts").json()["items"][0]["status"] == "refundable"
    paid = clerk.post(f"/payments/{refund[0]['id']}/pay", json={"bank_account_id": account["id"]})
    assert paid.status_code == 200, paid.text
    assert clerk.get(f"/orders/{rejected['id']}/advance-receipts").json()["items"][0]["status"] == "refunded"
    assert clerk.get(f"/bank-accounts/{account['id']}").json()["balance"] == "150.00"
