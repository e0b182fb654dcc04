"""Issue 14, "an API that fits its screens": partial updates with If-Match, the edits and deletes
the screens need, approvals that act on the current step. Out-of-scope records answer like
missing ones (404)."""
import uuid
from decimal import Decimal

import pytest

pytestmark = pytest.mark.e2e
MISSING = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def customer(rep_a):
    return rep_a.post("/customers", json={"name": f"屏幕 {uuid.uuid4().hex[:8]}", "confirm_duplicate": True}).json()


def _hidden_like_missing(api, method, path_of, record_id, body=None):
    hidden = api.request(method, path_of(record_id), json=body)
    absent = api.request(method, path_of(MISSING), json=body)
    assert hidden.status_code == absent.status_code == 404, (hidden.text, absent.text)
    assert hidden.json()["detail"] == absent.json()["detail"]


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
    _hidden_like_missing(rep_b, "PATCH", lambda i: f"/orders/{i}", order["id"], {"notes": "y"})


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
    _hidden_like_missing(rep_b, "PATCH", lambda i: f"/quotes/{i}", quote["id"], {"notes": "y"})


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
    _hidden_like_missing(rep_b, "GET", lambda i: f"/contacts/{i}", boss["id"])
    _hidden_like_missing(rep_b, "DELETE", lambda i: f"/contacts/{i}", boss["id"])
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
    _hidden_like_missing(rep_b, "PATCH", lambda i: f"/customer-relations/{i}", relation["id"], {"notes": "x"})
    _hidden_like_missing(rep_b, "DELETE", lambda i: f"/customer-relations/{i}", relation["id"])
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
    _hidden_like_missing(west, "PATCH", lambda i: f"/opportunities/{i}", opportunity["id"], {"title": "y"})
    assert east.post(f"/opportunities/{opportunity['id']}/win", json={"reason": "价格"}).status_code == 200
    ended = east.patch(f"/opportunities/{opportunity['id']}", json={"title": "改名"})
    assert ended.status_code == 409 and "won" in ended.json()["detail"]


def test_an_open_quote_is_cancelled_with_its_reason(rep_a, rep_b, customer, product, helpers):
    quote = rep_a.post("/quotes", json={"customer_id": customer["id"], "valid_until": "2027-03-31",
                                        "lines": [{"product_id": product["id"], "quantity": "1"}]}).json()
    _hidden_like_missing(rep_b, "POST", lambda i: f"/quotes/{i}/cancel", quote["id"], {"reason": "x"})
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
    _hidden_like_missing(west, "PATCH", lambda i: f"/campaigns/{i}", campaign["id"], {"name": "x"})
    _hidden_like_missing(west, "POST", lambda i: f"/campaign-tasks/{i}/done", task["id"])
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
    _hidden_like_missing(west, "PATCH", lambda i: f"/targets/{i}", target["id"], {"amount": "1.00"})
    _hidden_like_missing(west, "POST", lambda i: f"/targets/{i}/close", target["id"])
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
    _hidden_like_missing(west, "PATCH", lambda i: f"/announcements/{i}", announcement["id"], {"title": "x"})
    _hidden_like_missing(west, "POST", lambda i: f"/announcements/{i}/withdraw", announcement["id"])
    withdrawn = east.post(f"/announcements/{announcement['id']}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_at"]
    # it reaches nobody now
    assert rep_a.get(f"/announcements/{announcement['id']}").status_code == 404
    assert announcement["id"] not in {a["id"] for a in rep_a.get("/announcements", params={"limit": 200}
                                                                 ).json()["items"]}
    assert east.patch(f"/announcements/{announcement['id']}", json={"title": "y"}).status_code == 409
    assert east.post(f"/announcements/{announcement['id']}/withdraw").status_code == 409


def test_complaints_assigned_to_me_across_customers(rep_a, rep_b, manager_a, org, customer):
    complaint = rep_a.post(f"/customers/{customer['id']}/complaints", json={"subject": "包装破损"}).json()
    other = rep_a.post(f"/customers/{customer['id']}/complaints", json={"subject": "发票抬头错"}).json()
    assigned = manager_a.post(f"/complaints/{complaint['id']}/actions",
                              json={"action": "assign", "handler_id": org["users"]["rep_a"]["id"]})
    assert assigned.status_code == 200, assigned.text
    mine = rep_a.get("/complaints", params={"assigned_to": "me"}).json()["items"]
    assert [(c["id"], c["customer_name"]) for c in mine] == [(complaint["id"], customer["name"])]
    assert {complaint["id"], other["id"]} <= {c["id"] for c in rep_a.get("/complaints").json()["items"]}
    assert [c["id"] for c in rep_a.get("/complaints", params={"status": "open", "customer_id": customer["id"]}
                                       ).json()["items"]] == [other["id"]]
    assert complaint["id"] not in {c["id"] for c in manager_a.get("/complaints", params={"assigned_to": "me"}
                                                                  ).json()["items"]}
    assert not {complaint["id"], other["id"]} & {c["id"] for c in rep_b.get("/complaints").json()["items"]}
    assert rep_a.get("/complaints", params={"assigned_to": "someone"}).status_code == 400


@pytest.fixture(scope="module")
def desk_people(admin, org, helpers):
    """Work-order agents: two in Sales East (one leads it), one in Sales West; a business category."""
    permissions = ["calls.read", "calls.write"]
    agent = admin.post("/roles", json={"name": "Fit agent", "data_scope": "own", "permissions": permissions}).json()
    lead = admin.post("/roles", json={"name": "Fit desk lead", "data_scope": "department",
                                      "permissions": permissions}).json()
    people = {}
    for code, department, role in (("wo_agent", "Sales East", agent), ("wo_lead", "Sales East", lead),
                                   ("wo_west", "Sales West", agent)):
        created = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                             "department_id": org["departments"][department]["id"],
                                             "role_ids": [role["id"]]})
        assert created.status_code == 201, created.text
        people[code] = (created.json(), helpers.login(code, f"{code}-password"))
    category = admin.post("/categories", json={"kind": "business", "name": f"工单-{uuid.uuid4().hex[:4]}"}).json()
    return people, category


def test_a_work_order_is_assigned_and_transferred_and_found_as_mine(desk_people):
    people, category = desk_people
    (agent, agent_api), (lead, lead_api), (west, west_api) = people["wo_agent"], people["wo_lead"], people["wo_west"]
    order = lead_api.post("/work-orders", json={"category_id": category["id"], "title": "空调不制冷",
                                                "description": "三楼会议室"})
    assert order.status_code == 201, order.text
    order = order.json()
    assert agent_api.get(f"/work-orders/{order['id']}").status_code == 404  # the lead's, not the agent's yet
    assigned = lead_api.post(f"/work-orders/{order['id']}/assign", json={"assignee_id": agent["id"]})
    assert assigned.status_code == 200, assigned.text
    assert (assigned.json()["owner_id"], assigned.json()["department_path"]) == (
        agent["id"], agent_api.get("/me").json()["department"]["path"])
    mine = agent_api.get("/work-orders", params={"assigned_to": "me"}).json()["items"]
    assert [o["id"] for o in mine] == [order["id"]]
    assert order["id"] not in {o["id"] for o in lead_api.get("/work-orders", params={"assigned_to": "me"}
                                                             ).json()["items"]}
    assert order["id"] in {o["id"] for o in lead_api.get("/work-orders").json()["items"]}  # still in the lead's scope
    # transferred on: to someone outside the caller's scope is refused, and so is an unknown user
    outside = lead_api.post(f"/work-orders/{order['id']}/assign", json={"assignee_id": west["id"]})
    assert outside.status_code == 422 and set(outside.json()["errors"]) == {"assignee_id"}
    assert lead_api.post(f"/work-orders/{order['id']}/assign", json={"assignee_id": MISSING}).status_code == 422
    assert lead_api.post(f"/work-orders/{order['id']}/assign", json={"assignee_id": agent["id"]}).status_code == 409
    back = agent_api.post(f"/work-orders/{order['id']}/assign", json={"assignee_id": agent["id"]})
    assert back.status_code == 409
    _hidden_like_missing(west_api, "POST", lambda i: f"/work-orders/{i}/assign", order["id"], {"assignee_id": west["id"]})
    assert agent_api.post(f"/work-orders/{order['id']}/close", json={"resolution": "加氟"}).status_code == 200
    closed = lead_api.post(f"/work-orders/{order['id']}/assign", json={"assignee_id": lead["id"]})
    assert closed.status_code == 409 and "closed" in closed.json()["detail"]


def test_field_service_orders_dispatched_to_me(admin, org, helpers):
    role = admin.post("/roles", json={"name": f"Fit provider {uuid.uuid4().hex[:4]}", "data_scope": "own",
                                      "permissions": ["field_service.provider"]}).json()
    code = f"fsp_{uuid.uuid4().hex[:6]}"
    provider = admin.post("/users", json={"code": code, "name": "服务站", "password": f"{code}-password",
                                          "department_id": org["departments"]["Sales West"]["id"],
                                          "role_ids": [role["id"]]}).json()
    me = admin.get("/me").json()
    orders = [admin.post("/field-service-orders", json={
        "contact_name": "李工", "contact_phone": "13800000000", "address": "无锡市新区 8 号", "equipment": "柴油机",
        "fault_description": "启动困难"}).json() for _ in range(2)]
    for order, to in ((orders[0], me), (orders[1], provider)):
        dispatched = admin.post(f"/field-service-orders/{order['id']}/dispatch",
                                json={"provider_id": to["id"], "provider_name": to["name"]})
        assert dispatched.status_code == 200, dispatched.text
    mine = {o["id"] for o in admin.get("/field-service-orders", params={"assigned_to": "me", "limit": 200}
                                       ).json()["items"]}
    assert orders[0]["id"] in mine and orders[1]["id"] not in mine
    everything = {o["id"] for o in admin.get("/field-service-orders", params={"limit": 200}).json()["items"]}
    assert {o["id"] for o in orders} <= everything
    theirs = helpers.login(code, f"{code}-password").get("/field-service-orders", params={"assigned_to": "me"})
    assert [o["id"] for o in theirs.json()["items"]] == [orders[1]["id"]]


def test_payments_are_found_by_the_record_they_come_from(admin, org, bus, helpers):
    """Two settlements of field-service orders (as logistics announces them); each payment is found
    by its source, and a finance user of another department sees neither."""
    owner = org["users"]["rep_a"]
    sources = [str(uuid.uuid4()) for _ in range(2)]
    for index, source in enumerate(sources):
        bus.publish("logistics.field_service_settled", {
            "field_service_order_id": source, "number": f"FS-HQ-2026-{index:06d}", "provider_id": owner["id"],
            "provider_name": "无锡服务站", "amount": f"{100 + index}.00", "currency": "CNY",
            "owner_id": owner["id"], "department_path": org["departments"]["Sales East"]["path"], "branch": "HQ"})
    found = helpers.eventually(lambda: admin.get("/payments", params={"source_id": sources[1]}).json()["items"])
    assert [(p["source_id"], p["amount"]) for p in found] == [(sources[1], "101.00")]
    assert helpers.eventually(lambda: admin.get("/payments", params={"source_id": sources[0]}).json()["items"])
    both = admin.get("/payments", params={"kind": "field_service_settlement", "status": "pending",
                                          "limit": 200}).json()["items"]
    assert set(sources) <= {p["source_id"] for p in both}
    assert admin.get("/payments", params={"source_id": "not-a-uuid"}).status_code == 400
    role = admin.post("/roles", json={"name": f"Fit cashier {uuid.uuid4().hex[:4]}", "data_scope": "department",
                                      "permissions": ["payments.read"]}).json()
    code = f"cash_{uuid.uuid4().hex[:6]}"
    assert admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password", "role_ids": [role["id"]],
                                      "department_id": org["departments"]["Sales West"]["id"]}).status_code == 201
    west = helpers.login(code, f"{code}-password")
    assert west.get("/payments", params={"source_id": sources[1]}).json()["items"] == []
    _hidden_like_missing(west, "GET", lambda i: f"/payments/{i}", found[0]["id"])


def test_visit_reports_across_customers_with_filters(rep_a, rep_b, manager_a, org, customer):
    other = rep_a.post("/customers", json={"name": f"拜访 {uuid.uuid4().hex[:8]}", "confirm_duplicate": True}).json()
    # 23:30 UTC on 2026-03-09 is already 2026-03-10 in Beijing
    visit = rep_a.post(f"/customers/{customer['id']}/interactions", json={
        "kind": "visit", "summary": "上门拜访, 演示新品", "occurred_at": "2026-03-09T23:30:00Z"}).json()
    call = rep_a.post(f"/customers/{other['id']}/interactions", json={
        "kind": "call", "summary": "电话确认", "occurred_at": "2026-03-10T02:00:00Z"}).json()
    elsewhere = rep_a.post(f"/customers/{other['id']}/interactions", json={
        "kind": "visit", "summary": "回访", "occurred_at": "2026-03-12T02:00:00Z"}).json()

    def ids(api, **params):
        answer = api.get("/interactions", params={"limit": 200, **params})
        assert answer.status_code == 200, answer.text
        return [i["id"] for i in answer.json()["items"]]
    rep = org["users"]["rep_a"]["id"]
    assert ids(rep_a, kind="visit", since="2026-03-10", until="2026-03-10", author_id=rep) == [visit["id"]]
    assert ids(rep_a, since="2026-03-10", until="2026-03-12", author_id=rep) == [elsewhere["id"], call["id"], visit["id"]]
    assert ids(rep_a, customer_id=other["id"]) == [elsewhere["id"], call["id"]]
    assert ids(rep_a, until="2026-03-09", author_id=rep) == []
    listed = rep_a.get("/interactions", params={"customer_id": customer["id"]}).json()["items"]
    assert [(i["id"], i["customer_name"]) for i in listed] == [(visit["id"], customer["name"])]
    assert set(ids(manager_a, author_id=rep, since="2026-03-10", until="2026-03-12")) == {
        visit["id"], call["id"], elsewhere["id"]}  # the department's manager reads the team's reports
    assert not {visit["id"], call["id"], elsewhere["id"]} & set(ids(rep_b))
    assert rep_a.get("/interactions", params={"since": "2026-03-12", "until": "2026-03-10"}).status_code == 400
    assert rep_a.get("/interactions", params={"kind": "pigeon"}).status_code == 400


def test_an_order_and_its_line_ids_serve_shipments_and_receipts(rep_a, rep_b, approved_order, helpers):
    made = approved_order(prices=("10.00", "20.00"), quantities=["4", "2"])
    order, receivable = made["order"], made["receivable"]
    first, second = order["lines"]
    shipment = rep_a.post("/shipments", json={"order_id": order["id"], "lines": [
        {"order_line_id": first["id"], "quantity": "3"},
        {"fulfilment_line_id": next(line["id"] for line in made["fulfilment"]["lines"]
                                    if line["order_line_id"] == second["id"]), "quantity": "2"}]})
    assert shipment.status_code == 201, shipment.text
    assert shipment.json()["fulfilment_id"] == made["fulfilment"]["id"]
    remaining = {line["order_line_id"]: line["remaining"]
                 for line in rep_a.get(f"/fulfilments/{made['fulfilment']['id']}").json()["lines"]}
    assert remaining == {first["id"]: "1.000", second["id"]: "0.000"}
    before = helpers.domain_counts("logistics")
    for bad in ({"order_id": order["id"], "lines": [{"order_line_id": first["id"], "quantity": "2"}]},  # 1 left
                {"order_id": order["id"], "lines": [{"order_line_id": MISSING, "quantity": "1"}]},
                {"order_id": order["id"], "fulfilment_id": made["fulfilment"]["id"],
                 "lines": [{"order_line_id": first["id"], "quantity": "1"}]},
                {"order_id": order["id"], "lines": [{"order_line_id": first["id"], "quantity": "1",
                                                     "fulfilment_line_id": first["id"]}]}):
        assert rep_a.post("/shipments", json=bad).status_code == 422, bad
    hidden = rep_b.post("/shipments", json={"order_id": order["id"], "lines": [
        {"order_line_id": first["id"], "quantity": "1"}]})
    absent = rep_b.post("/shipments", json={"order_id": MISSING, "lines": [{"order_line_id": first["id"], "quantity": "1"}]})
    assert hidden.status_code == absent.status_code == 404 and hidden.json()["detail"] == absent.json()["detail"]
    assert helpers.domain_counts("logistics") == before

    receipt = rep_a.post("/receipts", json={"order_id": order["id"], "amount": "30.00", "method": "bank_transfer"})
    assert receipt.status_code == 201, receipt.text
    assert receipt.json()["receivable_id"] == receivable["id"]
    assert rep_a.get(f"/receivables/{receivable['id']}").json()["received"] == "30.00"
    both = rep_a.post("/receipts", json={"order_id": order["id"], "receivable_id": receivable["id"], "amount": "1.00",
                                         "method": "cash"})
    assert both.status_code == 422
    hidden = rep_b.post("/receipts", json={"order_id": order["id"], "amount": "1.00", "method": "cash"})
    absent = rep_b.post("/receipts", json={"order_id": MISSING, "amount": "1.00", "method": "cash"})
    assert hidden.status_code == absent.status_code == 404 and hidden.json()["detail"] == absent.json()["detail"]


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
    _hidden_like_missing(rep_b, "PATCH", lambda i: f"/orders/{i}", order["id"], {"payment_plan": []})
    assert rep_a.post(f"/orders/{order['id']}/submit").status_code == 200
    assert manager_a.post(f"/orders/{order['id']}/approve", json={}).status_code == 200
    receivable = helpers.eventually(lambda: rep_a.get("/receivables", params={"order_id": order["id"]}).json()["items"])
    agreed = rep_a.get(f"/receivables/{receivable[0]['id']}/plan").json()
    assert [(i["due_date"], i["amount"]) for i in agreed["instalments"]] == [(p["due_date"], p["amount"]) for p in plan]
    assert agreed["due_date"] == "2027-01-05"


def test_the_detail_s_tab_counts_come_in_one_request_as_each_list_counts(rep_a, rep_b, customer, product):
    path = f"/customers/{customer['id']}"
    assert rep_a.post(f"{path}/contacts", json={"name": "王芳"}).status_code == 201
    assert rep_a.post("/orders", json={"customer_id": customer["id"],
                                       "lines": [{"product_id": product["id"], "quantity": "1"}]}).status_code == 201
    counts = rep_a.get(f"{path}/tab-counts")
    assert counts.status_code == 200, counts.text
    body = counts.json()
    assert body["contacts"] == body["orders"] == {"count": 1, "more": False}
    lists = {"history": f"{path}/history", "interactions": f"{path}/interactions", "relations": f"{path}/relations",
             "complaints": f"{path}/complaints", "expenses": f"{path}/expenses",
             "quotes": f"/quotes?customer_id={customer['id']}", "contracts": f"/contracts?customer_id={customer['id']}",
             "opportunities": f"/opportunities?customer_id={customer['id']}",
             "receivables": f"/receivables?customer_id={customer['id']}"}
    for name, list_path in lists.items():
        listed = rep_a.get(list_path, params={"limit": 100})
        if listed.status_code == 403:  # a list the caller may not read is not counted either
            assert body[name] is None, name
        else:
            assert body[name] == {"count": len(listed.json()["items"]), "more": False}, name
    assert rep_a.get(f"{path}/tab-counts", params={"limit": 1}).json()["history"]["more"] is (body["history"]["count"] > 1)
    _hidden_like_missing(rep_b, "GET", lambda i: f"/customers/{i}/tab-counts", customer["id"])
    refused = rep_a.get(f"{path}/tab-counts", params={"limit": 0})  # refused as every list refuses it
    assert refused.status_code == rep_a.get(f"{path}/contacts", params={"limit": 0}).status_code == 400
    assert "limit" in refused.json()["errors"]
