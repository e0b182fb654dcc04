"""Data that stays clean (issue 14): partners are a customer kind, so the partner discount
(伙伴折扣) of the price rules applies to their quotes and orders, and to nobody else's; the customer
group (客户群) is a tree a customer names by id, and the list's `group` filter takes its sub-groups."""
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


def test_customer_groups_are_a_tree_customers_name_by_id_and_the_filter_takes_sub_groups(admin, rep_a):
    mark = uuid.uuid4().hex[:6]
    root = admin.post("/customer-groups", json={"name": f"华东{mark}"})
    assert root.status_code == 201, root.text
    big = admin.post("/customer-groups", json={"name": "大客户", "parent_id": root.json()["id"]}).json()
    hz = admin.post("/customer-groups", json={"name": "杭州", "parent_id": big["id"]}).json()
    assert hz["path"] == f"华东{mark}/大客户/杭州" and hz["depth"] == 3
    refused = [admin.post("/customer-groups", json={"name": "西湖", "parent_id": hz["id"]}),
               admin.post("/customer-groups", json={"name": "大客户", "parent_id": root.json()["id"]}),
               admin.post("/customer-groups", json={"name": "x", "parent_id": str(uuid.uuid4())})]
    assert [r.status_code for r in refused] == [422, 422, 422]
    assert rep_a.post("/customer-groups", json={"name": f"华北{mark}"}).status_code == 403
    tree = {g["path"]: g for g in rep_a.get("/customer-groups").json()["items"]}  # everyone who reads customers
    assert tree[f"华东{mark}/大客户"]["parent_id"] == root.json()["id"]
    made = rep_a.post("/customers", json={"name": f"杭州群客户{mark}", "group_id": hz["id"]})
    assert made.status_code == 201, made.text
    assert (made.json()["group_id"], made.json()["group_path"]) == (hz["id"], hz["path"])
    in_root = rep_a.get("/customers", params={"group": f"华东{mark}"}).json()["items"]
    assert [c["id"] for c in in_root] == [made.json()["id"]]
    assert admin.post(f"/customer-groups/{big['id']}/retire", json={}).json()["active"] is False
    unknown = rep_a.post("/customers", json={"name": f"退役群客户{mark}", "group_id": hz["id"]})
    assert unknown.status_code == 422 and "group_id" in unknown.json()["errors"], unknown.text
    renamed = admin.patch(f"/customer-groups/{root.json()['id']}", json={"name": f"东部{mark}"})
    assert renamed.status_code == 200, renamed.text
    moved = rep_a.get("/customers", params={"group": f"东部{mark}/大客户"}).json()["items"]
    assert [c["group_path"] for c in moved] == [f"东部{mark}/大客户/杭州"]
