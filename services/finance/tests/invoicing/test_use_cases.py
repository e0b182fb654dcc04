"""Invoices through their use cases on the finance database alone."""
import uuid

import pytest

from crm_common.errors import Forbidden, InvalidInput
from crm_common.testing import nobody_approves
from crm_finance.invoicing import queries, use_cases
from crm_finance.receivables import queries as receivables


@pytest.fixture
def clerk(principal_factory):
    return principal_factory(permissions={"invoices.read", "invoices.write", "receivables.read"}, scope="own")


def test_an_invoice_for_part_of_the_order_splits_the_tax_inside(uow, clerk, open_receivable, emitted):
    receivable = open_receivable(clerk)
    invoice = use_cases.create(uow(), clerk, {"order_id": receivable["order_id"], "amount": "113.00",
                                              "title": "上海天马贸易有限公司"})
    assert invoice["number"].startswith("INV-HQ-") and invoice["tax_rate"] == "0.1300"
    assert (invoice["net_amount"], invoice["tax_amount"]) == ("100.00", "13.00")
    assert receivables.get(uow(), clerk, receivable["id"])["invoiced"] == "113.00"
    [(_, data)] = emitted("finance.invoice_issued")
    assert data["amount"] == "113.00" and data["lines"] == []


def test_an_invoice_per_line_counts_each_line(uow, clerk, open_receivable, emitted):
    receivable = open_receivable(clerk)
    lines = queries.invoicing(uow(), clerk, receivable["id"])["lines"]
    invoice = use_cases.create(uow(), clerk, {"order_id": receivable["order_id"], "tax_rate": "0", "lines": [
        {"order_line_id": lines[0]["order_line_id"], "amount": "600.00"},
        {"order_line_id": lines[1]["order_line_id"], "amount": "100.00"}]})
    assert invoice["amount"] == "700.00" and invoice["tax_amount"] == "0.00"
    state = queries.invoicing(uow(), clerk, receivable["id"])
    assert (state["invoiced"], state["not_invoiced"]) == ("700.00", "300.00")
    assert [line["not_invoiced"] for line in state["lines"]] == ["0.00", "300.00"]
    assert len(emitted("finance.invoice_issued")[0][1]["lines"]) == 2


def test_more_than_a_line_has_left_is_invalid_and_nothing_is_written(uow, clerk, open_receivable):
    receivable = open_receivable(clerk)
    lines = queries.invoicing(uow(), clerk, receivable["id"])["lines"]
    with pytest.raises(InvalidInput) as refused:
        use_cases.create(uow(), clerk, {"order_id": receivable["order_id"], "lines": [
            {"order_line_id": lines[1]["order_line_id"], "amount": "400.01"}]})
    assert refused.value.errors == {"lines": {0: {"amount": ["Exceeds the line's not invoiced 400.00."]}}}
    assert queries.invoicing(uow(), clerk, receivable["id"])["invoiced"] == "0.00"
    assert queries.list_(uow(), clerk, {})["items"] == []


def test_a_line_of_another_order_is_refused(uow, clerk, open_receivable):
    first, second = open_receivable(clerk), open_receivable(clerk)
    other_line = queries.invoicing(uow(), clerk, second["id"])["lines"][0]["order_line_id"]
    with pytest.raises(InvalidInput) as refused:
        use_cases.create(uow(), clerk, {"order_id": first["order_id"], "lines": [
            {"order_line_id": other_line, "amount": "1.00"}]})
    assert refused.value.errors == {"lines": {0: {"order_line_id": ["Not a line of this order."]}}}


def test_more_than_the_order_is_refused(uow, clerk, open_receivable):
    receivable = open_receivable(clerk)
    use_cases.create(uow(), clerk, {"order_id": receivable["order_id"], "amount": "999.00"})
    with pytest.raises(InvalidInput) as refused:
        use_cases.create(uow(), clerk, {"order_id": receivable["order_id"], "amount": "1.01"})
    assert refused.value.errors == {"amount": ["Only 1.00 of the order is not invoiced yet."]}


def test_an_amount_that_differs_from_the_lines_is_refused(uow, clerk, open_receivable):
    receivable = open_receivable(clerk)
    line = queries.invoicing(uow(), clerk, receivable["id"])["lines"][0]["order_line_id"]
    with pytest.raises(InvalidInput) as refused:
        use_cases.create(uow(), clerk, {"order_id": receivable["order_id"], "amount": "10.00",
                                        "lines": [{"order_line_id": line, "amount": "9.00"}]})
    assert list(refused.value.errors) == ["amount"]


@pytest.mark.parametrize("body", [{}, {"amount": "0"}, {"amount": "1", "tax_rate": "0.12345"},
                                  {"amount": "1", "number": "INV-1"}])
def test_a_bad_body_is_invalid_input(uow, clerk, open_receivable, body):
    receivable = open_receivable(clerk)
    with pytest.raises(InvalidInput):
        use_cases.create(uow(), clerk, {"order_id": receivable["order_id"], **body})


def test_an_order_without_a_receivable_or_out_of_scope_is_invalid_input(uow, clerk, open_receivable,
                                                                         principal_factory):
    receivable = open_receivable(clerk)
    other = principal_factory(permissions=clerk.permissions, scope="own")
    for who, order_id in ((clerk, str(uuid.uuid4())), (other, receivable["order_id"])):
        with pytest.raises(InvalidInput) as refused:
            use_cases.create(uow(), who, {"order_id": order_id, "amount": "1.00"})
        assert refused.value.errors == {"order_id": ["No approved order with this id."]}


def test_invoices_are_listed_per_order_and_hidden_from_others(uow, clerk, open_receivable, principal_factory):
    receivable = open_receivable(clerk)
    invoice = use_cases.create(uow(), clerk, {"order_id": receivable["order_id"], "amount": "1.00"})
    open_receivable(clerk)
    assert [item["id"] for item in queries.list_(uow(), clerk, {"order_id": receivable["order_id"]})["items"]] == \
        [invoice["id"]]
    assert queries.get(uow(), clerk, invoice["id"], nobody_approves)["lines"] == []
    assert queries.list_(uow(), principal_factory(permissions=clerk.permissions, scope="own"), {})["items"] == []


def test_issuing_needs_the_permission(uow, clerk, open_receivable, principal_factory):
    receivable = open_receivable(clerk)
    with pytest.raises(Forbidden):
        use_cases.create(uow(), principal_factory(permissions={"invoices.read"}, scope="all"),
                         {"order_id": receivable["order_id"], "amount": "1.00"})
