"""SAL-05 over HTTP: quotes priced like orders, revisions kept, converted to an order in one call."""
from datetime import timedelta

import pytest
from crm_common.branch_time import current_day  # the suite's days are Beijing's

pytestmark = pytest.mark.e2e


def test_quote_revisions_and_conversion_into_an_order(rep_a, rep_b, manager_a, product, helpers):
    customer = rep_a.post("/customers", json={"name": "报价客户有限公司", "confirm_duplicate": True}).json()
    valid = (current_day() + timedelta(days=30)).isoformat()
    body = {"customer_id": customer["id"], "valid_until": valid,
            "lines": [{"product_id": product["id"], "quantity": "10"}]}
    before = helpers.domain_counts("sales")
    for bad in ({**body, "lines": [{"product_id": product["id"], "quantity": "-1"}]},
                {**body, "total": "1.00"}, {**body, "valid_until": "someday"}):
        assert rep_a.post("/quotes", json=bad).status_code == 422
    assert helpers.domain_counts("sales") == before

    quote = rep_a.post("/quotes", json=body)
    assert quote.status_code == 201, quote.text
    quote = quote.json()
    assert quote["number"].startswith("QT-") and quote["total"] == "199.90" and quote["revision"] == 1
    assert rep_b.get(f"/quotes/{quote['id']}").status_code == 404

    revised = rep_a.patch(f"/quotes/{quote['id']}", json={**body, "lines": [
        {"product_id": product["id"], "quantity": "20"}]})
    assert revised.status_code == 200, revised.text
    revised = revised.json()
    assert revised["revision"] == 2 and revised["total"] == "399.80"
    assert revised["revisions"][0]["revision"] == 1 and revised["revisions"][0]["content"]["total"] == "199.90"

    order = rep_a.post(f"/quotes/{quote['id']}/convert", json={"payment_terms_days": 45})
    assert order.status_code == 201, order.text
    order = order.json()
    assert order["status"] == "draft" and order["total"] == "399.80" and order["payment_terms_days"] == 45
    assert [(line["quantity"], line["unit_price"]) for line in order["lines"]] == [("20.000", "19.99")]
    assert rep_a.get(f"/quotes/{quote['id']}").json()["order_id"] == order["id"]
    assert rep_a.post(f"/quotes/{quote['id']}/convert").status_code == 409
    assert rep_a.patch(f"/quotes/{quote['id']}", json=body).status_code == 409
    assert rep_a.post(f"/orders/{order['id']}/submit").status_code == 200
    assert manager_a.post(f"/orders/{order['id']}/approve").json()["status"] == "approved"


def test_an_expired_quote_is_not_converted(rep_a, product):
    customer = rep_a.post("/customers", json={"name": "过期报价", "confirm_duplicate": True}).json()
    quote = rep_a.post("/quotes", json={"customer_id": customer["id"], "valid_until": "2020-01-01",
                                        "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
    assert rep_a.post(f"/quotes/{quote['id']}/convert").status_code == 409
