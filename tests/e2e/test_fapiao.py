"""Fapiao over HTTP (FIN-05, issue 16): a 专票 refused without a complete buyer title and issued with
one, red-letter reversed in two parts, the statement and the order lines right after each step;
concurrent reversals of one invoice; the tax system's fapiao number."""
from decimal import Decimal

import pytest
from crm_common.branch_time import current_day  # the suite's days are Beijing's

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("ledger_checked")]

TITLE = {"name": "宁波天马贸易有限公司", "taxpayer_number": "91330206MA2AXXXX1Q", "address": "宁波市江北区人民路1号",
         "phone": "0574-87650001", "bank_name": "工商银行宁波江北支行", "bank_account": "3901100009000012345"}


@pytest.fixture(scope="module")
def clerk_login(admin, org, helpers):
    """Logs in a new session of a finance clerk of the branch (开票员), one per thread."""
    role = admin.post("/roles", json={"name": "Fapiao clerk", "data_scope": "branch", "permissions": [
        "invoices.read", "invoices.write", "receivables.read", "finance.reports", "orders.read"]}).json()
    user = admin.post("/users", json={"code": "fapiao_clerk", "name": "开票员", "password": "fapiao-password",
                                      "department_id": org["departments"]["Sales East"]["id"],
                                      "role_ids": [role["id"]]})
    assert user.status_code == 201, user.text
    return lambda: helpers.login("fapiao_clerk", "fapiao-password")


def _order_lines_invoiced(api, order_id) -> list[str]:
    return [line["invoiced"] for line in api.get(f"/orders/{order_id}").json()["lines"]]


def _statement_invoiced(api, customer_id) -> tuple:
    statement = api.get(f"/finance/statements/{customer_id}").json()
    totals = statement["totals"]["CNY"]
    return totals["invoiced"], totals["not_invoiced"], sorted(i["amount"] for i in statement["invoices"])


def test_a_special_invoice_needs_a_title_then_is_reversed_in_two_parts(clerk_login, approved_order, helpers, bus):
    admin = clerk_login()
    made = approved_order(prices=("100.00", "50.00"), quantities=["3", "2"])  # 300.00 + 100.00
    order, customer_id = made["order"], made["customer_id"]
    first, second = (line["id"] for line in order["lines"])
    helpers.eventually(lambda: admin.get(f"/receivables/{made['receivable']['id']}/invoicing").json()["lines"])
    body = {"order_id": order["id"], "invoice_type": "vat_special",
            "lines": [{"order_line_id": first, "amount": "300.00"},
                      {"order_line_id": second, "amount": "100.00", "tax_rate": "0.09"}]}

    # refused without a title, and with an incomplete one: nothing written, no number taken
    incomplete = admin.post("/buyer-titles", json={**TITLE, "customer_id": customer_id, "bank_account": None})
    assert incomplete.status_code == 201 and incomplete.json()["complete"] is False
    before = helpers.table_counts()
    for extra in ({}, {"buyer_title_id": incomplete.json()["id"]}):
        refused = admin.post("/invoices", json={**body, **extra})
        assert refused.status_code == 422, refused.text
        assert list(refused.json()["errors"]) == ["buyer_title_id"]
    assert helpers.table_counts() == before
    assert admin.post("/invoices", json={**body, "tax_rate": "0.17"}).status_code == 422

    title = admin.post("/buyer-titles", json={**TITLE, "customer_id": customer_id}).json()
    with bus.listen("finance.invoice_issued") as issued:
        invoice = admin.post("/invoices", json={**body, "buyer_title_id": title["id"]})
        assert invoice.status_code == 201, invoice.text
        invoice = invoice.json()
        assert issued(lambda d: d["invoice_id"] == invoice["id"])
    assert (invoice["status"], invoice["invoice_type"], invoice["buyer"]) == ("issued", "vat_special", TITLE)
    # 300 × 0.13 / 1.13 = 34.51; 100 × 0.09 / 1.09 = 8.26
    assert [(line["tax_rate"], line["tax_amount"]) for line in invoice["lines"]] == [
        ("0.1300", "34.51"), ("0.0900", "8.26")]
    assert (invoice["tax_amount"], invoice["net_amount"]) == ("42.77", "357.23")
    assert helpers.eventually(lambda: _order_lines_invoiced(admin, order["id"]) == ["300.00", "100.00"])
    assert _statement_invoiced(admin, customer_id) == ("400.00", "0.00", ["400.00"])

    # the tax system's number comes back; the internal one stays
    fapiao = admin.post(f"/invoices/{invoice['id']}/fapiao", json={"fapiao_number": "04412345",
                                                                  "fapiao_date": current_day().isoformat()})
    assert fapiao.status_code == 200 and fapiao.json()["number"] == invoice["number"]
    assert admin.post(f"/invoices/{invoice['id']}/fapiao", json={"fapiao_number": "04412346",
                                                                "fapiao_date": "2026-12-01"}).status_code == 409

    # 红冲 1: part of the second line by name
    red = admin.post(f"/invoices/{invoice['id']}/reverse", json={"reason": "退货 1 件",
                                                                "lines": [{"order_line_id": second, "amount": "50.00"}]})
    assert red.status_code == 200, red.text
    red = red.json()
    assert (red["kind"], red["amount"], red["tax_amount"], red["original_invoice_id"]) == (
        "red", "-50.00", "-4.13", invoice["id"])
    assert helpers.eventually(lambda: _order_lines_invoiced(admin, order["id"]) == ["300.00", "50.00"])
    assert _statement_invoiced(admin, customer_id) == ("350.00", "50.00", ["-50.00", "400.00"])

    # never more than remains: 350.00
    before = helpers.table_counts()
    over = admin.post(f"/invoices/{invoice['id']}/reverse", json={"reason": "x", "amount": "350.01"})
    assert over.status_code == 422 and list(over.json()["errors"]) == ["amount"]
    assert admin.post(f"/invoices/{invoice['id']}/reverse", json={"amount": "1.00"}).status_code == 422
    assert helpers.table_counts() == before

    # 红冲 2: an amount, taken from the last line first (50.00 of the second, 100.00 of the first)
    red2 = admin.post(f"/invoices/{invoice['id']}/reverse", json={"reason": "折让", "amount": "150.00"})
    assert red2.status_code == 200, red2.text
    assert [(line["order_line_id"], line["amount"]) for line in red2.json()["lines"]] == [
        (first, "-100.00"), (second, "-50.00")]
    assert helpers.eventually(lambda: _order_lines_invoiced(admin, order["id"]) == ["200.00", "0.00"])
    assert _statement_invoiced(admin, customer_id) == ("200.00", "200.00", ["-150.00", "-50.00", "400.00"])
    original = admin.get(f"/invoices/{invoice['id']}").json()
    assert (original["status"], original["reversed_amount"], original["not_reversed"]) == ("issued", "200.00",
                                                                                             "200.00")
    reds = admin.get("/invoices", params={"original_invoice_id": invoice["id"]}).json()["items"]
    assert sorted(r["amount"] for r in reds) == ["-150.00", "-50.00"]
    assert admin.post(f"/invoices/{red['id']}/reverse", json={"reason": "a red one"}).status_code == 409


def test_concurrent_full_reversals_of_one_invoice_exactly_one_wins(clerk_login, approved_order, helpers):
    admin = clerk_login()
    made = approved_order(prices=("10.00",))  # 100.00
    invoice = admin.post("/invoices", json={"order_id": made["order"]["id"], "amount": "100.00"}).json()
    clerks = [clerk_login() for _ in range(6)]
    results = helpers.at_once(*(lambda api=api: api.post(
        f"/invoices/{invoice['id']}/reverse", json={"reason": "开错了"}).status_code for api in clerks))
    assert sorted(results) == [200, 409, 409, 409, 409, 409]
    after = admin.get(f"/invoices/{invoice['id']}").json()
    assert (after["status"], after["reversed_amount"]) == ("reversed", "100.00")
    reds = admin.get("/invoices", params={"original_invoice_id": invoice["id"]}).json()["items"]
    assert [r["amount"] for r in reds] == ["-100.00"]
    assert helpers.eventually(lambda: _order_lines_invoiced(admin, made["order"]["id"]) == ["0.00"])


def test_concurrent_partial_reversals_never_add_up_past_the_invoice(clerk_login, approved_order, helpers):
    admin = clerk_login()
    made = approved_order(prices=("10.00",))  # 100.00
    invoice = admin.post("/invoices", json={"order_id": made["order"]["id"], "amount": "100.00"}).json()
    clerks = [clerk_login() for _ in range(5)]
    results = helpers.at_once(*(lambda api=api: api.post(
        f"/invoices/{invoice['id']}/reverse", json={"reason": "折让", "amount": "30.00"}).status_code
        for api in clerks))
    assert sorted(results) == [200, 200, 200, 422, 422]
    after = admin.get(f"/invoices/{invoice['id']}").json()
    assert (after["status"], after["reversed_amount"]) == ("issued", "90.00")
    assert Decimal(after["not_reversed"]) == Decimal("10.00")


def test_a_draft_is_issued_later_and_only_then_numbered(clerk_login, approved_order):
    admin = clerk_login()
    made = approved_order(prices=("10.00",))
    draft = admin.post("/invoices", json={"order_id": made["order"]["id"], "amount": "10.00", "draft": True})
    assert draft.status_code == 201 and (draft.json()["status"], draft.json()["number"]) == ("draft", None)
    assert admin.get(f"/receivables/{made['receivable']['id']}").json()["invoiced"] == "0.00"
    issued = admin.post(f"/invoices/{draft.json()['id']}/issue")
    assert issued.status_code == 200 and issued.json()["number"].startswith("INV-HQ-")
    assert admin.post(f"/invoices/{draft.json()['id']}/issue").status_code == 409
    assert admin.get(f"/receivables/{made['receivable']['id']}").json()["invoiced"] == "10.00"
