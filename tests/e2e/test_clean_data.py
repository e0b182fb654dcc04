"""Data that stays clean (issue 14): partners are a customer kind, so the partner discount
(伙伴折扣) of the price rules applies to their quotes and orders, and to nobody else's."""
import uuid
from decimal import Decimal

import pytest

pytestmark = pytest.mark.e2e


def test_the_partner_discount_applies_to_partners_only(admin, rep_a):
    code = f"PT-{uuid.uuid4().hex[:6]}"
    product = admin.post("/products", json={"code": code, "name": f"伙伴货品 {code}", "list_price": "200.00",
                                            "unit": "pcs"}).json()
    rule = admin.post("/price-rules", json={"name": f"伙伴折扣 {code}", "kind": "partner", "priority": 10,
                                            "discount_percent": "12", "product_id": product["id"]})
    assert rule.status_code == 201, rule.text
    partner = rep_a.post("/customers", json={"name": f"宁波伙伴经销商{code}", "kind": "partner"})
    assert partner.status_code == 201, partner.text
    assert partner.json()["kind"] == "partner"
    company = rep_a.post("/customers", json={"name": f"宁波普通客户{code}"}).json()
    assert company["kind"] == "company"

    def line(customer_id, path):
        created = rep_a.post(path, json={"customer_id": customer_id, "valid_until": "2030-01-01",
                                          "lines": [{"product_id": product["id"], "quantity": "5"}]}
                             if path == "/quotes" else
                             {"customer_id": customer_id, "lines": [{"product_id": product["id"], "quantity": "5"}]})
        assert created.status_code == 201, created.text
        return created.json()["lines"][0]

    for path in ("/orders", "/quotes"):
        discounted = line(partner.json()["id"], path)
        assert Decimal(discounted["discount_percent"]) == Decimal("12"), (path, discounted)
        assert Decimal(discounted["unit_price"]) == Decimal("176.00")
        assert Decimal(discounted["amount"]) == Decimal("880.00")
        full = line(company["id"], path)
        assert Decimal(full["discount_percent"]) == 0 and Decimal(full["unit_price"]) == Decimal("200.00")
    partners = {c["id"] for c in rep_a.get("/customers", params={"kind": "partner", "limit": 200}).json()["items"]}
    assert partner.json()["id"] in partners and company["id"] not in partners
    assert rep_a.get("/customers", params={"kind": "dealer"}).status_code == 400
