"""Fapiao through the use cases: invoice types and buyer titles, drafts, the tax system's number,
red-letter reversals (红冲) in full and in part."""
from decimal import Decimal

import pytest

from crm_common.errors import Conflict, InvalidInput
from crm_common.testing import nobody_approves
from crm_finance.invoicing import queries, use_cases
from crm_finance.receivables import queries as receivables

COMPLETE = {"name": "宁波天马贸易有限公司", "taxpayer_number": "91330206MA2AXXXX1Q", "address": "宁波市江北区人民路1号",
            "phone": "0574-87650001", "bank_name": "工商银行宁波江北支行", "bank_account": "3901100009000012345"}


@pytest.fixture
def clerk(principal_factory):
    return principal_factory(permissions={"invoices.read", "invoices.write", "receivables.read"}, scope="own")


@pytest.fixture
def order(uow, clerk, open_receivable):
    """An order of 600.00 + 400.00 and its lines' ids."""
    receivable = open_receivable(clerk)
    lines = [line["order_line_id"] for line in queries.invoicing(uow(), clerk, receivable["id"])["lines"]]
    return {**receivable, "line_ids": lines}


def _title(uow, clerk, order, **fields):
    return use_cases.create_title(uow(), clerk, {"customer_id": order["customer_id"], **{**COMPLETE, **fields}})


def _invoiced(uow, clerk, order):
    state = queries.invoicing(uow(), clerk, order["id"])
    return state["invoiced"], [line["invoiced"] for line in state["lines"]]


def test_a_special_invoice_needs_a_complete_title_and_takes_no_number_without_one(uow, clerk, order):
    incomplete = _title(uow, clerk, order, bank_account=None)
    assert not incomplete["complete"]
    for body in ({}, {"buyer_title_id": incomplete["id"]}):
        with pytest.raises(InvalidInput) as refused:
            use_cases.create(uow(), clerk, {"order_id": order["order_id"], "amount": "113.00",
                                            "invoice_type": "vat_special", **body})
        assert list(refused.value.errors) == ["buyer_title_id"]
    assert queries.list_(uow(), clerk, {})["items"] == [] and _invoiced(uow, clerk, order)[0] == "0.00"

    title = _title(uow, clerk, order)
    invoice = use_cases.create(uow(), clerk, {"order_id": order["order_id"], "amount": "113.00",
                                              "invoice_type": "digital_special", "buyer_title_id": title["id"]})
    assert (invoice["status"], invoice["kind"], invoice["invoice_type"]) == ("issued", "blue", "digital_special")
    assert invoice["buyer"] == COMPLETE and invoice["title"] == COMPLETE["name"]
    assert invoice["number"].endswith("-000001")
    # the invoice keeps the title as issued
    use_cases.update_title(uow(), clerk, title["id"], {"address": "宁波市鄞州区"})
    assert queries.get(uow(), clerk, invoice["id"], nobody_approves)["buyer"]["address"] == COMPLETE["address"]


def test_a_title_of_another_customer_is_refused(uow, clerk, order, open_receivable):
    other = open_receivable(clerk)
    title = use_cases.create_title(uow(), clerk, {"customer_id": other["customer_id"], **COMPLETE})
    with pytest.raises(InvalidInput) as refused:
        use_cases.create(uow(), clerk, {"order_id": order["order_id"], "amount": "1.00",
                                        "buyer_title_id": title["id"]})
    assert refused.value.errors == {"buyer_title_id": ["No buyer title of this customer."]}


def test_each_line_has_its_rate_and_only_the_allowed_rates(uow, clerk, order):
    first, second = order["line_ids"]
    invoice = use_cases.create(uow(), clerk, {"order_id": order["order_id"], "tax_rate": "0.09", "lines": [
        {"order_line_id": first, "amount": "113.00", "tax_rate": "0.13"},
        {"order_line_id": second, "amount": "106.00"}]})
    assert [(line["tax_rate"], line["tax_amount"]) for line in invoice["lines"]] == [
        ("0.1300", "13.00"), ("0.0900", "8.75")]  # 106 × 0.09 / 1.09 = 8.752…
    assert (invoice["amount"], invoice["tax_amount"], invoice["net_amount"]) == ("219.00", "21.75", "197.25")
    for rate in ("0.17", "0.16", "0.05", "-0.13"):
        with pytest.raises(InvalidInput):
            use_cases.create(uow(), clerk, {"order_id": order["order_id"], "amount": "1.00", "tax_rate": rate})


def test_a_draft_counts_nothing_and_takes_its_number_when_issued(uow, clerk, order, emitted):
    draft = use_cases.create(uow(), clerk, {"order_id": order["order_id"], "amount": "100.00", "draft": True})
    assert (draft["status"], draft["number"]) == ("draft", None)
    assert _invoiced(uow, clerk, order)[0] == "0.00" and emitted("finance.invoice_issued") == []
    with pytest.raises(Conflict):
        use_cases.record_fapiao(uow(), clerk, draft["id"], {"fapiao_number": "12345678", "fapiao_date": "2026-12-01"})
    issued = use_cases.issue(uow(), clerk, draft["id"])
    assert issued["status"] == "issued" and issued["number"]
    assert _invoiced(uow, clerk, order)[0] == "100.00" and len(emitted("finance.invoice_issued")) == 1
    with pytest.raises(Conflict) as again:
        use_cases.issue(uow(), clerk, draft["id"])
    assert again.value.errors["status"] == ["issued"]


def test_the_fapiao_number_is_recorded_once_and_belongs_to_one_invoice(uow, clerk, order):
    one = use_cases.create(uow(), clerk, {"order_id": order["order_id"], "amount": "1.00"})
    two = use_cases.create(uow(), clerk, {"order_id": order["order_id"], "amount": "1.00"})
    recorded = use_cases.record_fapiao(uow(), clerk, one["id"], {"fapiao_number": "04412345",
                                                                 "fapiao_date": "2026-12-01"})
    assert (recorded["fapiao_number"], recorded["fapiao_date"]) == ("04412345", "2026-12-01")
    assert recorded["number"] == one["number"]  # the internal number stays
    with pytest.raises(Conflict):
        use_cases.record_fapiao(uow(), clerk, one["id"], {"fapiao_number": "04412346", "fapiao_date": "2026-12-01"})
    with pytest.raises(Conflict):
        use_cases.record_fapiao(uow(), clerk, two["id"], {"fapiao_number": "04412345", "fapiao_date": "2026-12-01"})
    with pytest.raises(InvalidInput):
        use_cases.record_fapiao(uow(), clerk, two["id"], {"fapiao_number": "0441234", "fapiao_date": "2026-12-01"})


def test_red_letter_reversals_in_part_then_the_rest(uow, clerk, order, emitted):
    first, second = order["line_ids"]
    invoice = use_cases.create(uow(), clerk, {"order_id": order["order_id"], "lines": [
        {"order_line_id": first, "amount": "600.00"}, {"order_line_id": second, "amount": "400.00"}]})
    assert invoice["tax_amount"] == "115.05"  # 69.03 + 46.02 (per line)

    red = use_cases.reverse(uow(), clerk, invoice["id"], {"reason": "退货 2 件", "amount": "450.00"})
    assert (red["kind"], red["amount"], red["original_invoice_id"], red["reason"]) == (
        "red", "-450.00", invoice["id"], "退货 2 件")
    assert [(line["order_line_id"], line["amount"]) for line in red["lines"]] == [
        (first, "-50.00"), (second, "-400.00")]  # last line first
    assert red["number"] != invoice["number"] and red["buyer"] == invoice["buyer"]
    assert _invoiced(uow, clerk, order) == ("550.00", ["550.00", "0.00"])
    assert queries.get(uow(), clerk, invoice["id"], nobody_approves)["status"] == "issued"
    [(_, event)] = emitted("finance.invoice_reversed")
    assert (event["amount"], event["original_invoice_id"]) == ("450.00", invoice["id"])

    with pytest.raises(InvalidInput) as over:
        use_cases.reverse(uow(), clerk, invoice["id"], {"reason": "x", "amount": "550.01"})
    assert over.value.errors == {"amount": ["Only 550.00 of the invoice is not reversed yet."]}
    with pytest.raises(InvalidInput):
        use_cases.reverse(uow(), clerk, invoice["id"], {"reason": "x", "lines": [
            {"order_line_id": second, "amount": "0.01"}]})

    rest = use_cases.reverse(uow(), clerk, invoice["id"], {"reason": "开票信息有误"})
    assert rest["amount"] == "-550.00"
    after = queries.get(uow(), clerk, invoice["id"], nobody_approves)
    assert (after["status"], after["reversed_amount"], after["not_reversed"]) == ("reversed", "1000.00", "0.00")
    # the red invoices take back the tax to the cent
    reds = queries.list_(uow(), clerk, {"original_invoice_id": invoice["id"]})["items"]
    assert sum(Decimal(r["tax_amount"]) for r in reds) == Decimal("-115.05")
    assert _invoiced(uow, clerk, order) == ("0.00", ["0.00", "0.00"])
    assert receivables.get(uow(), clerk, order["id"])["invoiced"] == "0.00"
    with pytest.raises(Conflict):
        use_cases.reverse(uow(), clerk, invoice["id"], {"reason": "again"})
    with pytest.raises(Conflict):
        use_cases.reverse(uow(), clerk, rest["id"], {"reason": "a red one"})
    # what was reversed can be invoiced again
    assert use_cases.create(uow(), clerk, {"order_id": order["order_id"], "amount": "1000.00"})["status"] == "issued"


def test_an_unsplit_invoice_is_reversed_by_amount_only(uow, clerk, order):
    invoice = use_cases.create(uow(), clerk, {"order_id": order["order_id"], "amount": "10.00"})
    with pytest.raises(InvalidInput) as refused:
        use_cases.reverse(uow(), clerk, invoice["id"], {"reason": "x", "lines": [
            {"order_line_id": order["line_ids"][0], "amount": "1.00"}]})
    assert list(refused.value.errors) == ["lines"]
    parts = [use_cases.reverse(uow(), clerk, invoice["id"], {"reason": "x", "amount": amount})
             for amount in ("3.33", "3.33", "3.34")]
    assert [p["tax_amount"] for p in parts] == ["-0.38", "-0.38", "-0.39"]  # 1.15 in all
    assert invoice["tax_amount"] == "1.15"
    with pytest.raises(InvalidInput):
        use_cases.reverse(uow(), clerk, invoice["id"], {"reason": " "})
    assert queries.get(uow(), clerk, invoice["id"], nobody_approves)["status"] == "reversed"


def test_a_draft_is_not_reversed(uow, clerk, order):
    draft = use_cases.create(uow(), clerk, {"order_id": order["order_id"], "amount": "1.00", "draft": True})
    with pytest.raises(Conflict):
        use_cases.reverse(uow(), clerk, draft["id"], {"reason": "x"})
    assert queries.get(uow(), clerk, draft["id"], nobody_approves)["status"] == "draft"
