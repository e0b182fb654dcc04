"""The rest of the slice over HTTP: customer edit and soft delete, contacts, announcements,
and concurrent approvals of one order."""
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.e2e


def test_customer_update_and_soft_delete(rep_a, rep_b):
    customer = rep_a.post("/customers", json={"name": "Edit Me Ltd", "industry": "manufacturing"}).json()
    updated = rep_a.patch(f"/customers/{customer['id']}", json={"industry": "wholesale_retail", "tags": ["vip"]})
    assert updated.status_code == 200 and updated.json()["industry"] == "wholesale_retail"
    assert updated.json()["code"] == customer["code"]
    assert rep_b.patch(f"/customers/{customer['id']}", json={"industry": "it"}).status_code == 404
    assert rep_b.delete(f"/customers/{customer['id']}").status_code in (403, 404)
    assert rep_a.get("/customers", params={"industry": "wholesale_retail"}).json()["items"][0]["id"] == customer["id"]


def test_soft_deleted_customer_disappears(admin):
    customer = admin.post("/customers", json={"name": "Short Lived Ltd"}).json()
    assert admin.delete(f"/customers/{customer['id']}").status_code == 204
    assert admin.get(f"/customers/{customer['id']}").status_code == 404
    assert customer["id"] not in {c["id"] for c in admin.get("/customers", params={"name": "Short Lived"}).json()["items"]}


def test_contacts_follow_their_customer_scope(rep_a, rep_b):
    customer = rep_a.post("/customers", json={"name": "Contacts Co"}).json()
    boss = rep_a.post(f"/customers/{customer['id']}/contacts",
                      json={"name": "王总", "title": "总经理", "decision_role": "decision_maker",
                            "is_key_member": True, "mobile": "13800138000"})
    assert boss.status_code == 201, boss.text
    staff = rep_a.post(f"/customers/{customer['id']}/contacts",
                       json={"name": "李工", "reports_to_id": boss.json()["id"], "decision_role": "user"})
    assert staff.status_code == 201 and staff.json()["reports_to_id"] == boss.json()["id"]
    assert {c["name"] for c in rep_a.get(f"/customers/{customer['id']}/contacts").json()["items"]} == {"王总", "李工"}
    assert {c["name"] for c in rep_a.get(f"/customers/{customer['id']}").json()["contacts"]} == {"王总", "李工"}
    assert rep_b.get(f"/customers/{customer['id']}/contacts").status_code == 404
    assert rep_b.post(f"/customers/{customer['id']}/contacts", json={"name": "x"}).status_code == 404
    other = rep_a.post("/customers", json={"name": "Other Co"}).json()
    cross = rep_a.post(f"/customers/{other['id']}/contacts", json={"name": "y", "reports_to_id": boss.json()["id"]})
    assert cross.status_code == 422 and "reports_to_id" in cross.json()["errors"]


def test_announcement_reaches_its_department_only(admin, rep_a, rep_b, org):
    east = org["departments"]["Sales East"]["path"]
    created = admin.post("/announcements", json={"title": "东区月度会议", "body": "周五下午三点",
                                                 "audience_department_paths": [east]})
    assert created.status_code == 201, created.text
    announcement = created.json()
    assert announcement["id"] in {a["id"] for a in rep_a.get("/announcements").json()["items"]}
    assert announcement["id"] not in {a["id"] for a in rep_b.get("/announcements").json()["items"]}
    assert rep_b.get(f"/announcements/{announcement['id']}").status_code == 404
    assert rep_a.post(f"/announcements/{announcement['id']}/read").status_code == 200
    assert rep_a.get(f"/announcements/{announcement['id']}").json()["read"] is True
    receipts = admin.get(f"/announcements/{announcement['id']}/read-receipts").json()
    assert [r["user_id"] for r in receipts] == [org["users"]["rep_a"]["id"]]
    assert rep_a.post("/announcements", json={"title": "x", "body": "y"}).status_code == 403


def test_concurrent_approvals_resolve_to_exactly_one(rep_a, manager_a, product, helpers):
    customer = rep_a.post("/customers", json={"name": "Race Co"}).json()
    order = rep_a.post("/orders", json={"customer_id": customer["id"],
                                        "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
    rep_a.post(f"/orders/{order['id']}/submit")
    with ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(lambda _: manager_a.post(f"/orders/{order['id']}/approve").status_code, range(8)))
    assert statuses == [200] + [409] * 7
    assert helpers.eventually(lambda: rep_a.get("/receivables", params={"order_id": order["id"]}).json()["items"])
    assert len(rep_a.get("/receivables", params={"order_id": order["id"]}).json()["items"]) == 1
    assert helpers.rows("sales", "SELECT count(*) FROM orders WHERE id = %s AND status = 'approved'",
                        (order["id"],))[0][0] == 1
