"""Issue 14, "an API that fits its screens": partial updates with If-Match, the edits and deletes
the screens need, approvals that act on the current step. Out-of-scope records answer like
missing ones (404). The lists across records are in test_api_fits_screens_lists.py."""
import uuid
from decimal import Decimal

import pytest

from api_screens import MISSING, hidden_like_missing

pytestmark = pytest.mark.e2e


def test_patch_of_an_order_changes_what_is_sent_and_keeps_the_rest(rep_a, rep_b, customer, product, helpers):
    order = rep_a.post("/orders", json={"customer_id": customer["id"], "payment_terms_days": 45,
                                        "lines": [{"product_id": product["id"], "quantity": "3"}]}).json()
    current = rep_a.get(f"/orders/{order['id']}")
    noted = rep_a.patch(f"/orders/{order['id']}", json={"notes": "送货前电话联系"},
                        headers={"If-Match": current.headers["ETag"]})
    assert noted.status_code == 200, noted.text
    body = noted.json()
    assert body["notes"] == "送货前电话联系" and body["payment_terms_days"] == 45
    assert [(line["product_id"], line["quantity"]) for line in body["lines"]] == [(product["id"], "3.000")]
    assert body["lines"][0]["id"] == order["lines"][0]["id"] and body["total"] == order["total"]
    # the ETag read before the change is stale now: refused, nothing changed
    stale = rep_a.patch(f"/orders/{order['id']}", json={"notes": "x"}, headers={"If-Match": current.headers["ETag"]})
    assert stale.status_code == 412 and stale.headers["Content-Type"] == "application/problem+json"
    requantified = rep_a.patch(f"/orders/{order['id']}", json={"lines": [{"product_id": product["id"],
                                                                          "quantity": "5"}]})
    assert requantified.status_code == 200 and requantified.json()["notes"] == "送货前电话联系"
    assert requantified.json()["total"] == str(round(float(product["list_price"]) * 5, 2))
    before = helpers.domain_counts("sales")
    bad = rep_a.patch(f"/orders/{order['id']}", json={"payment_terms_days": 999, "owner_id": MISSING})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"payment_terms_days", "owner_id"}
    assert helpers.domain_counts("sales") == before
    assert rep_a.get(f"/orders/{order['id']}").json()["payment_terms_days"] == 45
    hidden_like_missing(rep_b, "PATCH", lambda i: f"/orders/{i}", order["id"], {"notes": "y"})


def test_patch_of_a_quote_is_a_revision_of_what_is_sent(rep_a, rep_b, customer, product):
    quote = rep_a.post("/quotes", json={"customer_id": customer["id"], "valid_until": "2027-03-31",
                                        "notes": "含税", "lines": [{"product_id": product["id"], "quantity": "2"}]})
    assert quote.status_code == 201, quote.text
    quote = quote.json()
    revised = rep_a.patch(f"/quotes/{quote['id']}", json={"valid_until": "2027-06-30"})
    assert revised.status_code == 200, revised.text
    body = revised.json()
    assert body["valid_until"] == "2027-06-30" and body["notes"] == "含税" and body["revision"] == 2
    assert [(line["product_id"], line["quantity"]) for line in body["lines"]] == [(product["id"], "2.000")]
    hidden_like_missing(rep_b, "PATCH", lambda i: f"/quotes/{i}", quote["id"], {"notes": "y"})


def test_patch_of_a_contract_keeps_the_split_and_checks_the_whole(admin, customer):
    me = admin.get("/me").json()
    contract = admin.post("/contracts", json={
        "customer_id": customer["id"], "kind": "service", "title": "维保", "start_date": "2026-01-01",
        "end_date": "2026-12-31", "amount": "1000.00", "commission_split": [{"user_id": me["id"], "percent": "100"}]})
    assert contract.status_code == 201, contract.text
    contract = contract.json()
    retitled = admin.patch(f"/contracts/{contract['id']}", json={"title": "年度维保"})
    assert retitled.status_code == 200, retitled.text
    assert retitled.json()["title"] == "年度维保" and retitled.json()["amount"] == "1000.00"
    assert retitled.json()["commission_split"] == contract["commission_split"]
    # a rule across fields holds for the whole: an end before the kept start is refused
    reversed_dates = admin.patch(f"/contracts/{contract['id']}", json={"end_date": "2025-06-30"})
    assert reversed_dates.status_code == 422, reversed_dates.text
    assert admin.get(f"/contracts/{contract['id']}").json()["end_date"] == "2026-12-31"


def test_a_contact_is_read_listed_across_customers_and_deleted(rep_a, rep_b, customer, helpers):
    other = rep_a.post("/customers", json={"name": f"屏幕乙 {uuid.uuid4().hex[:8]}", "confirm_duplicate": True}).json()
    mobile = f"139{uuid.uuid4().int % 10**8:08d}"
    boss = rep_a.post(f"/customers/{customer['id']}/contacts", json={"name": "王总", "mobile": mobile,
                                                                     "is_key_member": True}).json()
    aide = rep_a.post(f"/customers/{customer['id']}/contacts", json={"name": "小李", "reports_to_id": boss["id"]}).json()
    elsewhere = rep_a.post(f"/customers/{other['id']}/contacts", json={"name": "赵工"}).json()
    read = rep_a.get(f"/contacts/{boss['id']}")
    assert read.status_code == 200 and read.json()["customer_name"] == customer["name"] and read.headers["ETag"]
    # the 通讯录: contacts of every visible customer, filtered
    everyone = {c["id"]: c for c in rep_a.get("/contacts", params={"limit": 200}).json()["items"]}
    assert {boss["id"], aide["id"], elsewhere["id"]} <= set(everyone)
    assert everyone[elsewhere["id"]]["customer_name"] == other["name"]
    by_phone = rep_a.get("/contacts", params={"phone": mobile[-6:]}).json()["items"]
    assert [c["id"] for c in by_phone] == [boss["id"]]
    keys = rep_a.get("/contacts", params={"customer_id": customer["id"], "is_key_member": "true"}).json()["items"]
    assert [c["id"] for c in keys] == [boss["id"]]
    assert rep_a.get("/contacts", params={"sort": "owner_id"}).status_code == 400
    # another department's rep sees none of them, and one of them answers like a missing one
    assert not {c["id"] for c in rep_b.get("/contacts", params={"limit": 200}).json()["items"]} & set(everyone)
    hidden_like_missing(rep_b, "GET", lambda i: f"/contacts/{i}", boss["id"])
    hidden_like_missing(rep_b, "DELETE", lambda i: f"/contacts/{i}", boss["id"])
    assert rep_a.get(f"/contacts/{boss['id']}").status_code == 200  # the refused delete changed nothing
    assert rep_a.delete(f"/contacts/{boss['id']}").status_code == 204
    assert rep_a.get(f"/contacts/{boss['id']}").status_code == 404
    assert rep_a.get(f"/contacts/{aide['id']}").json()["reports_to_id"] is None
    assert boss["id"] not in {c["id"] for c in rep_a.get(f"/customers/{customer['id']}/contacts").json()["items"]}
    history = rep_a.get(f"/customers/{customer['id']}/history").json()["items"]
    assert "contact_removed" in {entry["kind"] for entry in history}


def test_a_customer_relation_is_edited(rep_a, rep_b, customer):
    other = rep_a.post("/customers", json={"name": f"屏幕丙 {uuid.uuid4().hex[:8]}", "confirm_duplicate": True}).json()
    relation = rep_a.post(f"/customers/{customer['id']}/relations", json={"to_id": other["id"], "kind": "partner"})
    assert relation.status_code == 201, relation.text
    relation = relation.json()
    edited = rep_a.patch(f"/customer-relations/{relation['id']}", json={"notes": "华东区独家"})
    assert edited.status_code == 200, edited.text
    assert edited.json()["kind"] == "partner" and edited.json()["notes"] == "华东区独家"
    rekind = rep_a.patch(f"/customer-relations/{relation['id']}", json={"kind": "agent"})
    assert rekind.json()["kind"] == "agent" and rekind.json()["notes"] == "华东区独家"
    assert rep_a.patch(f"/customer-relations/{relation['id']}", json={"kind": "cousin"}).status_code == 422
    assert rep_a.patch(f"/customer-relations/{relation['id']}", json={"to_id": customer["id"]}).status_code == 422
    hidden_like_missing(rep_b, "PATCH", lambda i: f"/customer-relations/{i}", relation["id"], {"notes": "x"})
    hidden_like_missing(rep_b, "DELETE", lambda i: f"/customer-relations/{i}", relation["id"])
    listed = rep_a.get(f"/customers/{customer['id']}/relations").json()["items"]
    assert [(r["id"], r["kind"]) for r in listed] == [(relation["id"], "agent")]


@pytest.fixture(scope="module")
def sellers(admin, org, helpers):
    """Two opportunity reps in two departments and an open stage."""
    permissions = ["customers.read", "customers.write", "opportunities.read", "opportunities.write"]
    role = admin.post("/roles", json={"name": "Fit opportunity rep", "data_scope": "own",
                                      "permissions": permissions}).json()
    people = {}
    for code, department in (("fit_east", "Sales East"), ("fit_west", "Sales West")):
        assert admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                          "department_id": org["departments"][department]["id"],
                                          "role_ids": [role["id"]]}).status_code == 201
        people[code] = helpers.login(code, f"{code}-password")
    stage = admin.post("/opportunity-stages", json={"name": f"Fit {uuid.uuid4().hex[:6]}", "position": 15,
                                                     "probability": "20", "outcome": "open"}).json()
    return people, stage


def test_an_open_opportunity_is_edited_field_by_field(sellers):
    people, stage = sellers
    east, west = people["fit_east"], people["fit_west"]
    customer = east.post("/customers", json={"name": f"商机 {uuid.uuid4().hex[:8]}", "confirm_duplicate": True}).json()
    opportunity = east.post("/opportunities", json={
        "customer_id": customer["id"], "title": "二期扩容", "stage_id": stage["id"], "source": "展会",
        "expected_amount": "50000.00", "expected_close_date": "2027-03-31"})
    assert opportunity.status_code == 201, opportunity.text
    opportunity = opportunity.json()
    etag = east.get(f"/opportunities/{opportunity['id']}").headers["ETag"]
    edited = east.patch(f"/opportunities/{opportunity['id']}", json={"expected_amount": "64000.00",
                                                                      "probability": "35"}, headers={"If-Match": etag})
    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["expected_amount"], body["probability"], body["title"], body["source"]) == (
        "64000.00", "35", "二期扩容", "展会")
    assert east.patch(f"/opportunities/{opportunity['id']}", json={"title": "x"},
                      headers={"If-Match": etag}).status_code == 412
    refused = east.patch(f"/opportunities/{opportunity['id']}", json={"stage_id": stage["id"], "title": ""})
    assert refused.status_code == 422 and set(refused.json()["errors"]) == {"stage_id", "title"}
    hidden_like_missing(west, "PATCH", lambda i: f"/opportunities/{i}", opportunity["id"], {"title": "y"})
    assert east.post(f"/opportunities/{opportunity['id']}/win", json={"reason": "价格"}).status_code == 200
    ended = east.patch(f"/opportunities/{opportunity['id']}", json={"title": "改名"})
    assert ended.status_code == 409 and "won" in ended.json()["detail"]


def test_an_open_quote_is_cancelled_with_its_reason(rep_a, rep_b, customer, product, helpers):
    quote = rep_a.post("/quotes", json={"customer_id": customer["id"], "valid_until": "2027-03-31",
                                        "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
    hidden_like_missing(rep_b, "POST", lambda i: f"/quotes/{i}/cancel", quote["id"], {"reason": "x"})
    assert rep_a.post(f"/quotes/{quote['id']}/cancel", json={}).status_code == 422
    cancelled = rep_a.post(f"/quotes/{quote['id']}/cancel", json={"reason": "客户选择了其他供应商"})
    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert (body["status"], body["cancel_reason"]) == ("cancelled", "客户选择了其他供应商") and body["cancelled_at"]
    listed = rep_a.get("/quotes", params={"status": "cancelled", "customer_id": customer["id"]}).json()["items"]
    assert [q["id"] for q in listed] == [quote["id"]]
    before = helpers.domain_counts("sales")
    for refused in (rep_a.post(f"/quotes/{quote['id']}/convert"), rep_a.patch(f"/quotes/{quote['id']}", json={"notes": "x"}),
                    rep_a.post(f"/quotes/{quote['id']}/cancel", json={"reason": "again"})):
        assert refused.status_code == 409 and "cancelled" in refused.json()["detail"], refused.text
    assert helpers.domain_counts("sales") == before


def test_approvals_number_steps_from_1_and_a_stale_step_names_the_current_one(rep_a, manager_a, customer, product):
    order = rep_a.post("/orders", json={"customer_id": customer["id"],
                                        "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
    assert rep_a.post(f"/orders/{order['id']}/submit").status_code == 200
    (approval,) = rep_a.get(f"/orders/{order['id']}/approvals").json()
    assert approval["status"] == "pending" and approval["current_step"] == 1
    assert [a["step"] for a in approval["actions"]] == [None]  # the submission belongs to no step
    waiting = {a["id"]: a for a in manager_a.get("/approvals").json()["items"]}
    assert waiting[approval["id"]]["current_step"] == 1
    name = approval["steps"][0]["name"]
    stale = manager_a.post(f"/orders/{order['id']}/approve", json={"step": 2})
    assert stale.status_code == 409 and f"step 1 of {len(approval['steps'])} ('{name}')" in stale.json()["detail"]
    assert manager_a.post(f"/orders/{order['id']}/approve", json={"step": 0}).status_code == 422
    # without naming a step, the current one is decided
    approved = manager_a.post(f"/orders/{order['id']}/approve", json={"comment": "同意"})
    assert approved.status_code == 200, approved.text
    (decided,) = rep_a.get(f"/orders/{order['id']}/approvals").json()
    assert [(a["action"], a["step"]) for a in decided["actions"]] == [("submit", None), ("approve", 1)]


@pytest.fixture(scope="module")
def planners(admin, org, helpers):
    """Planners in two departments: campaigns and targets of their own."""
    permissions = ["campaigns.read", "campaigns.write", "targets.write", "orders.read"]
    role = admin.post("/roles", json={"name": "Fit planner", "data_scope": "own", "permissions": permissions}).json()
    people = {}
    for code, department in (("plan_east", "Sales East"), ("plan_west", "Sales West")):
        assert admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                          "department_id": org["departments"][department]["id"],
                                          "role_ids": [role["id"]]}).status_code == 201
        people[code] = helpers.login(code, f"{code}-password")
    return people["plan_east"], people["plan_west"]


def test_campaign_participants_change_and_a_task_is_done(planners, org, helpers):
    east, west = planners
    rep_a, rep_b = org["users"]["rep_a"]["id"], org["users"]["rep_b"]["id"]
    campaign = east.post("/campaigns", json={"name": "秋季展会", "starts_on": "2026-09-01", "ends_on": "2026-09-30",
                                             "budget": "8000.00", "participants": [rep_a]}).json()
    task = east.post(f"/campaigns/{campaign['id']}/tasks", json={"title": "布展", "assignee_id": rep_a}).json()["tasks"][0]
    changed = east.patch(f"/campaigns/{campaign['id']}", json={"participants": [rep_a, rep_b]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["participants"] == [rep_a, rep_b] and changed.json()["budget"] == "8000.00"
    assert east.patch(f"/campaigns/{campaign['id']}", json={"participants": [rep_b]}).json()["participants"] == [rep_b]
    before = helpers.domain_counts("sales")
    assert east.patch(f"/campaigns/{campaign['id']}", json={"ends_on": "2026-08-01"}).status_code == 422  # before start
    assert east.patch(f"/campaigns/{campaign['id']}", json={"participants": ["x"]}).status_code == 422
    assert helpers.domain_counts("sales") == before
    hidden_like_missing(west, "PATCH", lambda i: f"/campaigns/{i}", campaign["id"], {"name": "x"})
    hidden_like_missing(west, "POST", lambda i: f"/campaign-tasks/{i}/done", task["id"])
    done = east.post(f"/campaign-tasks/{task['id']}/done")
    assert done.status_code == 200, done.text
    assert [t["done"] for t in done.json()["tasks"]] == [True]
    assert east.get(f"/campaigns/{campaign['id']}/report").json()["tasks_open"] == 0
    assert east.post(f"/campaign-tasks/{task['id']}/done").status_code == 409


def test_a_target_is_updated_then_closed(planners):
    east, west = planners
    me = east.get("/me").json()
    target = east.post("/targets", json={"subject": "user", "user_id": me["id"], "period": "2026-Q3",
                                         "department_path": me["department"]["path"], "amount": "100000.00"})
    assert target.status_code == 201, target.text
    target = target.json()
    assert target["status"] == "open"
    raised = east.patch(f"/targets/{target['id']}", json={"amount": "120000.00"})
    assert raised.status_code == 200, raised.text
    assert (raised.json()["amount"], raised.json()["period"]) == ("120000.00", "2026-Q3")
    moved = east.patch(f"/targets/{target['id']}", json={"period": "2026-Q4"}).json()
    assert (moved["period"], moved["starts_on"], moved["ends_on"]) == ("2026-Q4", "2026-10-01", "2027-01-01")
    assert east.patch(f"/targets/{target['id']}", json={"subject": "department"}).status_code == 422
    hidden_like_missing(west, "PATCH", lambda i: f"/targets/{i}", target["id"], {"amount": "1.00"})
    hidden_like_missing(west, "POST", lambda i: f"/targets/{i}/close", target["id"])
    closed = east.post(f"/targets/{target['id']}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed" and closed.json()["closed_at"]
    assert east.patch(f"/targets/{target['id']}", json={"amount": "1.00"}).status_code == 409
    assert east.post(f"/targets/{target['id']}/close").status_code == 409
    assert [t["id"] for t in east.get("/targets", params={"status": "closed"}).json()["items"]] == [target["id"]]
    assert target["id"] not in {t["id"] for t in east.get("/targets", params={"status": "open"}).json()["items"]}


def test_a_custom_field_definition_is_edited_then_retired(admin, rep_a, helpers):
    key = f"tier_{uuid.uuid4().hex[:6]}"
    field = admin.post("/customer-fields", json={"entity": "customer", "key": key, "label": "等级",
                                                 "type": "select", "options": ["A", "B"]})
    assert field.status_code == 201, field.text
    field = field.json()
    etag = admin.get(f"/customer-fields/{field['id']}").headers["ETag"]
    edited = admin.patch(f"/customer-fields/{field['id']}", json={"label": "客户等级", "options": ["A", "B", "C"]},
                         headers={"If-Match": etag})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["label"], edited.json()["options"], edited.json()["type"]) == ("客户等级", ["A", "B", "C"],
                                                                                          "select")
    assert admin.patch(f"/customer-fields/{field['id']}", json={"type": "text"}).status_code == 422
    assert admin.patch(f"/customer-fields/{field['id']}", json={"options": []}).status_code == 422
    assert rep_a.patch(f"/customer-fields/{field['id']}", json={"label": "x"}).status_code == 403
    customer = rep_a.post("/customers", json={"name": f"字段 {uuid.uuid4().hex[:8]}", "confirm_duplicate": True,
                                              "custom": {key: "C"}})
    assert customer.status_code == 201, customer.text
    customer = customer.json()
    retired = admin.post(f"/customer-fields/{field['id']}/retire")
    assert retired.status_code == 200 and retired.json()["retired_at"]
    assert field["id"] not in {f["id"] for f in admin.get("/customer-fields", params={"limit": 200}).json()["items"]}
    everything = admin.get("/customer-fields", params={"limit": 200, "include_retired": "true"}).json()["items"]
    assert field["id"] in {f["id"] for f in everything}
    # no longer taken on writes; what a record holds stays readable
    refused = rep_a.patch(f"/customers/{customer['id']}", json={"custom": {key: "A"}})
    assert refused.status_code == 422 and key in refused.json()["errors"]["custom"]
    assert rep_a.get(f"/customers/{customer['id']}").json()["custom"] == {key: "C"}
    assert admin.patch(f"/customer-fields/{field['id']}", json={"label": "y"}).status_code == 409
    assert admin.post(f"/customer-fields/{field['id']}/retire").status_code == 409
    assert admin.post("/customer-fields", json={"entity": "customer", "key": key, "label": "again",
                                                "type": "text"}).status_code == 409
    assert admin.get(f"/customer-fields/{MISSING}").status_code == 404


@pytest.fixture(scope="module")
def authors(admin, org, helpers):
    role = admin.post("/roles", json={"name": "Fit author", "data_scope": "own",
                                      "permissions": ["announcements.read", "announcements.write"]}).json()
    people = []
    for code, department in (("ann_east", "Sales East"), ("ann_west", "Sales West")):
        assert admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                          "department_id": org["departments"][department]["id"],
                                          "role_ids": [role["id"]]}).status_code == 201
        people.append(helpers.login(code, f"{code}-password"))
    return people


def test_an_announcement_is_edited_then_withdrawn(authors, rep_a, helpers):
    east, west = authors
    title = f"系统升级 {uuid.uuid4().hex[:6]}"
    announcement = east.post("/announcements", json={"title": title, "body": "周六晚上 22:00"})
    assert announcement.status_code == 201, announcement.text
    announcement = announcement.json()
    edited = east.patch(f"/announcements/{announcement['id']}", json={"body": "周日晚上 22:00"})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["title"], edited.json()["body"]) == (title, "周日晚上 22:00")
    assert rep_a.get(f"/announcements/{announcement['id']}").json()["body"] == "周日晚上 22:00"
    before = helpers.domain_counts("workspace")
    past = east.patch(f"/announcements/{announcement['id']}", json={"expires_at": "2020-01-01T00:00:00+08:00"})
    assert past.status_code == 422 and set(past.json()["errors"]) == {"expires_at"}
    assert east.patch(f"/announcements/{announcement['id']}", json={"owner_id": rep_a.get("/me").json()["id"]}
                      ).status_code == 422
    assert helpers.domain_counts("workspace") == before
    hidden_like_missing(west, "PATCH", lambda i: f"/announcements/{i}", announcement["id"], {"title": "x"})
    hidden_like_missing(west, "POST", lambda i: f"/announcements/{i}/withdraw", announcement["id"])
    withdrawn = east.post(f"/announcements/{announcement['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    # it reaches nobody now
    assert rep_a.get(f"/announcements/{announcement['id']}").status_code == 404
    assert announcement["id"] not in {a["id"] for a in rep_a.get("/announcements", params={"limit": 200}
                                                                 ).json()["items"]}
    assert east.patch(f"/announcements/{announcement['id']}", json={"title": "y"}).status_code == 409
    assert east.post(f"/announcements/{announcement['id']}/withdraw").status_code == 409


def test_a_payment_plan_agreed_on_a_draft_order_becomes_the_receivables(rep_a, rep_b, manager_a, customer, product,
                                                                        helpers):
    lines = [{"product_id": product["id"], "quantity": "10"}]
    total = Decimal(product["list_price"]) * 10
    deposit, rest = "60.00", str(total - Decimal("60.00"))
    plan = [{"due_date": "2027-01-05", "amount": deposit}, {"due_date": "2027-02-28", "amount": rest}]
    before = helpers.domain_counts("sales")
    for bad in ([{"due_date": "2027-01-05", "amount": "1.00"}],  # does not add up to the total
                [plan[1], plan[0]],  # out of order
                [{"due_date": "2027-01-05", "amount": "-5"}]):
        refused = rep_a.post("/orders", json={"customer_id": customer["id"], "lines": lines, "payment_plan": bad})
        assert refused.status_code == 422 and "payment_plan" in refused.json()["errors"], refused.text
    assert helpers.domain_counts("sales") == before
    order = rep_a.post("/orders", json={"customer_id": customer["id"], "lines": lines, "payment_plan": plan})
    assert order.status_code == 201, order.text
    order = order.json()
    assert order["payment_plan"] == plan and Decimal(order["total"]) == total
    # a new total must still be what the plan adds up to
    requantified = rep_a.patch(f"/orders/{order['id']}", json={"lines": [{**lines[0], "quantity": "11"}]})
    assert requantified.status_code == 422 and set(requantified.json()["errors"]) == {"payment_plan"}
    assert rep_a.patch(f"/orders/{order['id']}", json={"notes": "定金到账后发货"}).json()["payment_plan"] == plan
    hidden_like_missing(rep_b, "PATCH", lambda i: f"/orders/{i}", order["id"], {"payment_plan": []})
    assert rep_a.post(f"/orders/{order['id']}/submit").status_code == 200
    assert manager_a.post(f"/orders/{order['id']}/approve", json={}).status_code == 200
    receivable = helpers.eventually(lambda: rep_a.get("/receivables", params={"order_id": order["id"]}).json()["items"])
    agreed = rep_a.get(f"/receivables/{receivable[0]['id']}/plan").json()
    assert [(i["due_date"], i["amount"]) for i in agreed["instalments"]] == [(p["due_date"], p["amount"]) for p in plan]
    assert agreed["due_date"] == "2027-01-05"
