"""Field permissions (字段权限, issue 17) of the money: quotes and finance documents (receivables,
their payment plans, receipts, invoices) over HTTP, and the figures that add governed amounts up
(the forecast, the customer header's money picture, the report pack and its files). A role that
masks the amounts in lists sees `****` in the list and in the export file, the detail whole; a role
that hides them gets no key anywhere and a 422 naming the field when it sends one; the
administrator sees everything whole."""
import csv
import io
import uuid

import pytest

pytestmark = pytest.mark.e2e

PERMISSIONS = ["customers.read", "orders.read", "orders.write", "opportunities.read", "receivables.read",
               "receivables.write", "receivables.export", "receipts.read", "receipts.write", "invoices.read",
               "invoices.write", "payments.read", "finance.reports", "contracts.read"]
AMOUNTS = ("quote.total", "receivable.amount", "receipt.amount", "invoice.amount", "payment.amount",
           "order.total", "opportunity.expected_amount")
MASKING = {key: {"access": "read_only", "mask": "list"} for key in AMOUNTS}
HIDING = {**{key: {"access": "hidden"} for key in AMOUNTS}, "invoice.buyer": {"access": "hidden"}}


def _user(admin, org, helpers, code, rules):
    role = admin.post("/roles", json={"name": f"金额{code}", "data_scope": "all", "permissions": PERMISSIONS,
                                      "fields": rules})
    assert role.status_code == 201, role.text
    response = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                          "department_id": org["departments"]["Sales East"]["id"],
                                          "role_ids": [role.json()["id"]]})
    assert response.status_code == 201, response.text
    return helpers.login(code, f"{code}-password")


@pytest.fixture(scope="module")
def masking(admin, org, helpers):
    return _user(admin, org, helpers, "fmoney_mask", MASKING)


@pytest.fixture(scope="module")
def hiding(admin, org, helpers):
    return _user(admin, org, helpers, "fmoney_hide", HIDING)


@pytest.fixture(scope="module")
def documents(admin, approved_order, product, helpers):
    """An approved order's receivable with a receipt and an issued invoice, and an open quote of
    the same customer (the administrator's)."""
    made = approved_order(prices=("19.99",))  # 199.90
    receivable = made["receivable"]
    plan = admin.put(f"/receivables/{receivable['id']}/plan", json={"instalments": [
        {"due_date": "2099-01-31", "amount": "99.90"}, {"due_date": "2099-02-28", "amount": "100.00"}]})
    assert plan.status_code == 200, plan.text
    receipt = admin.post("/receipts", json={"receivable_id": receivable["id"], "amount": "50.00",
                                            "method": "bank_transfer"})
    assert receipt.status_code == 201, receipt.text
    invoice = admin.post("/invoices", json={"order_id": receivable["order_id"], "amount": "100.00",
                                            "title": "宁波天马物流"})
    assert invoice.status_code == 201, invoice.text
    quote = admin.post("/quotes", json={"customer_id": made["customer_id"], "valid_until": "2099-12-31",
                                        "lines": [{"product_id": product["id"], "quantity": "3"}]})
    assert quote.status_code == 201, quote.text
    stage = admin.post("/opportunity-stages", json={"name": f"字段 {uuid.uuid4().hex[:6]}", "position": 15,
                                                    "probability": "40", "outcome": "open"})
    assert stage.status_code == 201, stage.text
    opportunity = admin.post("/opportunities", json={"customer_id": made["customer_id"], "title": "字段权限商机",
                                                     "stage_id": stage.json()["id"], "expected_amount": "1000.00",
                                                     "expected_close_date": "2099-06-30"})
    assert opportunity.status_code == 201, opportunity.text
    return {**made, "receipt": receipt.json(), "invoice": invoice.json(), "quote": quote.json()}


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff"))))


def test_the_catalogue_lists_the_money_of_quotes_and_finance_documents(admin):
    items = {item["key"]: item for item in admin.get("/field-permissions").json()["items"]}
    for key in ("quote.total", "receivable.amount", "receipt.amount", "invoice.amount", "payment.amount"):
        assert items[key]["maskable"] is True and items[key]["kind"] == "amount", items[key]
    assert items["invoice.buyer"]["maskable"] is False
    assert items["receipt.amount"]["resource_label"] == "回款"


def test_a_quote_total_is_masked_in_the_list_whole_in_its_detail_and_absent_when_hidden(admin, masking, hiding,
                                                                                         documents):
    quote = documents["quote"]
    listed = masking.get("/quotes", params={"customer_id": documents["customer_id"]}).json()["items"]
    assert [q["total"] for q in listed] == ["****"]
    detail = masking.get(f"/quotes/{quote['id']}").json()
    assert detail["total"] == quote["total"] and detail["lines"][0]["amount"] == quote["lines"][0]["amount"]
    hidden = hiding.get(f"/quotes/{quote['id']}").json()
    assert "total" not in hidden and not {"amount", "unit_price", "list_price"} & set(hidden["lines"][0])
    assert "total" not in hiding.get("/quotes", params={"customer_id": documents["customer_id"]}).json()["items"][0]
    assert admin.get("/quotes", params={"customer_id": documents["customer_id"]}).json()["items"][0]["total"] \
        == quote["total"]
    refused = hiding.patch(f"/quotes/{quote['id']}", json={"total": "1.00"})
    assert refused.status_code == 422 and "hidden" in refused.json()["errors"]["total"][0], refused.text


def test_receivables_are_masked_in_the_list_and_the_export_file_and_left_out_when_hidden(admin, masking, hiding,
                                                                                          documents):
    receivable = documents["receivable"]
    row = masking.get("/receivables", params={"order_id": receivable["order_id"]}).json()["items"][0]
    assert (row["amount"], row["received"], row["outstanding"]) == ("****", "****", "****")
    assert masking.get(f"/receivables/{receivable['id']}").json()["amount"] == "199.90"
    rows = csv_rows(masking.get("/receivables/export", params={"order_id": receivable["order_id"]}))
    assert [(r["应收金额"], r["已收金额"], r["欠款"]) for r in rows] == [("****", "****", "****")]

    hidden = hiding.get(f"/receivables/{receivable['id']}").json()
    assert not {"amount", "received", "outstanding", "invoiced"} & set(hidden)
    assert hidden["receipts"] and all("amount" not in r for r in hidden["receipts"])
    instalments = hiding.get(f"/receivables/{receivable['id']}/plan").json()["instalments"]
    assert [i["due_date"] for i in instalments] == ["2099-01-31", "2099-02-28"]
    assert not {"amount", "paid"} & set(instalments[0])
    listed = masking.get(f"/receivables/{receivable['id']}/plan").json()["instalments"]
    assert listed[0]["amount"] == "99.90"  # a detail: masked in lists only
    rows = csv_rows(hiding.get("/receivables/export", params={"order_id": receivable["order_id"]}))
    assert rows and not {"应收金额", "已收金额", "欠款", "已开票金额"} & set(rows[0])
    refused = hiding.put(f"/receivables/{receivable['id']}/plan", json={"instalments": [
        {"due_date": "2099-01-01", "amount": "199.90"}]})
    assert refused.status_code == 422 and "instalments" in refused.json()["errors"], refused.text
    whole = admin.get("/receivables", params={"order_id": receivable["order_id"]}).json()["items"][0]
    assert (whole["amount"], whole["received"]) == ("199.90", "50.00")
    assert csv_rows(admin.get("/receivables/export", params={"order_id": receivable["order_id"]}))[0]["应收金额"] \
        == "199.90"


def test_receipts_and_invoices_obey_the_amount_and_a_hidden_one_cannot_be_sent(admin, masking, hiding, documents,
                                                                               helpers):
    receivable, receipt, invoice = documents["receivable"], documents["receipt"], documents["invoice"]
    assert [r["amount"] for r in masking.get("/receipts", params={"receivable_id": receivable["id"]}).json()["items"]] \
        == ["****"]
    assert masking.get(f"/receipts/{receipt['id']}").json()["amount"] == "50.00"
    assert "amount" not in hiding.get(f"/receipts/{receipt['id']}").json()
    listed = masking.get("/invoices", params={"order_id": receivable["order_id"]}).json()["items"]
    assert [(i["amount"], i["tax_amount"], i["net_amount"]) for i in listed] == [("****", "****", "****")]
    seen = hiding.get(f"/invoices/{invoice['id']}").json()
    assert not {"amount", "tax_amount", "net_amount", "buyer", "title"} & set(seen)
    assert all("amount" not in line for line in seen["lines"])
    assert admin.get(f"/invoices/{invoice['id']}").json()["amount"] == "100.00"

    before = helpers.table_counts()
    refusals = [(hiding.post("/receipts", json={"receivable_id": receivable["id"], "amount": "1.00",
                                                "method": "bank_transfer"}), "amount"),
                (masking.post("/receipts", json={"receivable_id": receivable["id"], "amount": "1.00",
                                                 "method": "bank_transfer"}), "amount"),  # read-only
                (hiding.post("/invoices", json={"order_id": receivable["order_id"], "amount": "1.00"}), "amount"),
                (hiding.post("/invoices", json={"order_id": receivable["order_id"], "lines": [
                    {"order_line_id": documents["order"]["lines"][0]["id"], "amount": "1.00"}]}), "lines")]
    for response, field in refusals:
        assert response.status_code == 422, response.text
        assert response.headers["Content-Type"].startswith("application/problem+json")
        assert field in response.json()["errors"], response.text
    assert helpers.table_counts() == before


def test_figures_that_add_up_a_governed_amount_are_masked_or_left_out_and_counts_stay(admin, masking, hiding,
                                                                                      documents, helpers):
    customer_id = documents["customer_id"]
    summary = helpers.eventually(lambda: (lambda s: s if s.get("open_orders_count") else None)(
        masking.get(f"/customers/{customer_id}/summary").json()), timeout=30)
    assert summary["open_orders_amount"] == "****" and summary["outstanding_amount"] == "****"
    assert summary["open_orders_count"] >= 1  # a count stays
    hidden = hiding.get(f"/customers/{customer_id}/summary").json()
    assert not {"open_orders_amount", "outstanding_amount", "overdue_amount"} & set(hidden)
    assert admin.get(f"/customers/{customer_id}/summary").json()["open_orders_amount"] not in (None, "****")

    forecast = masking.get("/opportunity-forecast", params={"group_by": "owner"})
    assert forecast.status_code == 200, forecast.text
    assert forecast.json()["items"]
    for group in forecast.json()["items"]:
        assert (group["expected_total"], group["weighted_total"]) == ("****", "****") and "count" in group
    for group in hiding.get("/opportunity-forecast", params={"group_by": "owner"}).json()["items"]:
        assert "expected_total" not in group and "weighted_total" not in group

    report = helpers.eventually(lambda: (lambda r: r if r["items"] else None)(
        masking.get("/reports/receipts", params={"period": "year"}).json()), timeout=30)
    assert {item["received"] for item in report["items"]} == {"****"} and report["totals"]["received"] == "****"
    assert all(isinstance(item["receipts"], int) for item in report["items"])  # counts stay
    rows = csv_rows(masking.get("/reports/receipts/export", params={"period": "year"}))
    assert rows and {r["回款金额"] for r in rows} == {"****"}
    rows = csv_rows(hiding.get("/reports/receipts/export", params={"period": "year"}))
    assert rows and "回款金额" not in rows[0] and "开票金额" not in rows[0] and "回款笔数" in rows[0]
    ranking = helpers.eventually(lambda: hiding.get("/reports/sales-ranking", params={"by": "order_amount"}).json()["items"],
                                 timeout=30)
    assert ranking and all("amount" not in item and "count" in item for item in ranking)
    rows = csv_rows(hiding.get("/reports/sales-ranking/export", params={"by": "order_amount"}))
    assert rows and "金额" not in rows[0] and "单数" in rows[0]
    amounts = masking.get("/reports/sales-amounts", params={"period": "year"}).json()
    assert amounts["totals"]["order_amount"] == "****" and isinstance(amounts["totals"]["orders"], int)
    whole = admin.get("/reports/receipts", params={"period": "year"}).json()
    assert whole["totals"]["received"] not in (None, "****")


def test_a_refund_amount_is_masked_in_the_payments_list_and_absent_when_hidden(admin, org, masking, hiding,
                                                                              documents, bus, helpers):
    rep = org["users"]["rep_a"]
    line, return_id = documents["order"]["lines"][0], str(uuid.uuid4())
    bus.publish("sales.return_approved", {
        "return_id": return_id, "number": "RT-HQ-2026-000917", "order_id": documents["order"]["id"],
        "customer_id": documents["customer_id"],
        "lines": [{"order_line_id": line["id"], "product_id": line["product_id"], "quantity": "1",
                   "unit_price": "19.99", "amount": "19.99"}], "total": "19.99", "currency": "CNY",
        "owner_id": rep["id"], "department_path": documents["receivable"]["department_path"], "branch": "HQ"})
    refund = helpers.eventually(lambda: admin.get("/payments", params={"source_id": return_id}).json()["items"])
    assert refund and refund[0]["amount"] == "19.99"
    assert [p["amount"] for p in masking.get("/payments", params={"source_id": return_id}).json()["items"]] == ["****"]
    assert masking.get(f"/payments/{refund[0]['id']}").json()["amount"] == "19.99"
    assert "amount" not in hiding.get(f"/payments/{refund[0]['id']}").json()
