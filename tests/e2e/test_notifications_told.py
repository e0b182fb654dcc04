"""Nobody is told (issue 14): what lands in each person's inbox (WSP-08) when a customer is given
to them, is about to fall back to the pool and did, when their extension request is decided, a
complaint or a field-service order is theirs, its feedback is overdue; and "waiting for your
approval" stops waiting once the document is decided or withdrawn. One notification per fact."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from kombu import Connection, Exchange, Producer

from crm_common.events.catalog import build_envelope

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def crew(admin, org, helpers):
    """Two reps and their boss in Sales East (department scope: assigns, approves), a provider."""
    tag = uuid.uuid4().hex[:6]
    boss_role = admin.post("/roles", json={"name": f"Notified boss {tag}", "data_scope": "department", "permissions": [
        "customers.read", "customers.write", "customers.assign", "customers.approve_extension",
        "orders.read", "orders.approve", "notifications.read"]}).json()
    provider_role = admin.post("/roles", json={"name": f"Notified provider {tag}", "data_scope": "own",
                                               "permissions": ["field_service.provider", "notifications.read"]}).json()
    people = {}
    for who, role in (("rep1", org["roles"]["rep"]), ("rep2", org["roles"]["rep"]), ("boss", boss_role),
                      ("provider", provider_role)):
        code = f"nt_{who}_{tag}"
        user = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                          "department_id": org["departments"]["Sales East"]["id"],
                                          "role_ids": [role["id"]]})
        assert user.status_code == 201, user.text
        people[who] = (user.json(), helpers.login(code, f"{code}-password"))
    return people


def _told(helpers, api, kind, link_end, count=1, timeout=30):
    """The caller's notifications of `kind` about the record, once `count` of them arrived."""
    def fetch():
        items = api.get("/notifications", params={"kind": kind, "limit": 200}).json()["items"]
        found = [n for n in items if n["link"].endswith(link_end)]
        return found if len(found) >= count else None
    return helpers.eventually(fetch, timeout=timeout) or []


def _settled(helpers, api, kind, link_end):
    """After the events had time to travel: every notification of `kind` about the record."""
    _told(helpers, api, kind, link_end)
    items = api.get("/notifications", params={"kind": kind, "limit": 200}).json()["items"]
    return [n for n in items if n["link"].endswith(link_end)]


def test_assigned_and_transferred_customers_are_told_to_their_new_owner(crew, helpers):
    (rep1, rep1_api), (rep2, rep2_api), (_, boss) = crew["rep1"], crew["rep2"], crew["boss"]
    customer = rep1_api.post("/customers", json={"name": f"交接通知{uuid.uuid4().hex[:6]}"}).json()
    assert boss.post(f"/customers/{customer['id']}/assign", json={"owner_id": rep2["id"]}).status_code == 200
    [told] = _told(helpers, rep2_api, "customer_transferred", customer["id"])
    assert customer["name"] in told["title"] and told["read"] is False
    assert _told(helpers, rep1_api, "customer_transferred", customer["id"], timeout=1) == []

    assert rep2_api.post(f"/customers/{customer['id']}/release").status_code == 200
    assert boss.post(f"/customers/{customer['id']}/assign", json={"owner_id": rep1["id"]}).status_code == 200
    [assigned] = _told(helpers, rep1_api, "customer_assigned", customer["id"])
    assert "assigned to you" in assigned["title"]
    assert len(_settled(helpers, rep2_api, "customer_transferred", customer["id"])) == 1


def test_the_owner_is_warned_n_days_before_the_pool_takes_a_customer_back_and_told_when_it_did(admin, crew,
                                                                                                 helpers):
    rep1, rep1_api = crew["rep1"]
    level = helpers.pick("value_level", f"n{uuid.uuid4().hex[:5]}")
    rules = {"rules": [{"value_level": level, "days_without_followup": 10, "notice_days": 3, "protection_days": 0}]}
    assert admin.put("/customer-pool/settings", json=rules).status_code == 200
    try:
        customer = rep1_api.post("/customers", json={"name": f"回收提醒{level}", "value_level": level}).json()
        due = datetime.fromisoformat(rep1_api.get(f"/customers/{customer['id']}").json()["recycle_due_at"])
        for hours in (0, 1):  # the job runs again an hour later: still one warning
            ran = admin.post("/customer-pool/run-jobs", json={"now": (due - timedelta(days=2, hours=hours)).isoformat()})
            assert ran.status_code == 200, ran.text
        [warned] = _told(helpers, rep1_api, "customer_recycle_warning", customer["id"])
        assert "in 2 days" in warned["title"] and customer["name"] in warned["title"]

        assert admin.post("/customer-pool/run-jobs",
                          json={"now": (due + timedelta(minutes=1)).isoformat()}).json()["recycled"] >= 1
        [recycled] = _told(helpers, rep1_api, "customer_recycled", customer["id"])
        assert "public pool" in recycled["title"]
        assert len(_settled(helpers, rep1_api, "customer_recycle_warning", customer["id"])) == 1
    finally:
        admin.put("/customer-pool/settings", json={"rules": []})


def test_an_extension_decision_is_told_to_who_asked_and_the_approvers_stop_waiting(crew, helpers):
    (_, rep1_api), (_, boss) = crew["rep1"], crew["boss"]
    customer = rep1_api.post("/customers", json={"name": f"延期通知{uuid.uuid4().hex[:6]}"}).json()
    request = rep1_api.post(f"/customers/{customer['id']}/extension-requests", json={"days": 15, "reason": "谈判"})
    assert request.status_code == 201, request.text
    approval = helpers.eventually(lambda: [
        a for a in boss.get("/approvals", params={"document_type": "pool_extension"}).json()["items"]
        if a["document_id"] == request.json()["id"]])
    assert approval
    [waiting] = _told(helpers, boss, "pool_extension_waiting_approval", approval[0]["id"])
    assert "waiting" in waiting["title"] and waiting["resolved_at"] is None

    assert boss.post(f"/extension-requests/{request.json()['id']}/approve", json={"comment": "同意"}).status_code == 200
    [decided] = _told(helpers, rep1_api, "extension_approved", customer["id"])
    assert customer["name"] in decided["title"] and "protected until" in decided["title"]

    def resolved():
        [item] = _settled(helpers, boss, "pool_extension_waiting_approval", approval[0]["id"])
        return item if item["resolved_at"] else None
    done = helpers.eventually(resolved, timeout=30)
    assert done and done["resolution"] == "approved" and "waiting" not in done["title"]


def test_a_withdrawn_order_stops_waiting_for_its_approvers(crew, product, helpers):
    (_, rep1_api), (_, boss) = crew["rep1"], crew["boss"]
    customer = rep1_api.post("/customers", json={"name": f"撤回订单{uuid.uuid4().hex[:6]}"}).json()
    order = rep1_api.post("/orders", json={"customer_id": customer["id"], "payment_terms_days": 30,
                                            "lines": [{"product_id": product["id"], "quantity": "2"}]}).json()
    assert rep1_api.post(f"/orders/{order['id']}/submit").status_code == 200
    [waiting] = _told(helpers, boss, "order_waiting_approval", order["id"])
    assert waiting["resolved_at"] is None
    assert rep1_api.post(f"/orders/{order['id']}/cancel").status_code == 200

    def resolved():
        [item] = _settled(helpers, boss, "order_waiting_approval", order["id"])
        return item if item["resolved_at"] else None
    done = helpers.eventually(resolved, timeout=30)
    assert done and done["resolution"] == "withdrawn" and done["title"].endswith("was withdrawn")


def test_a_complaint_is_told_to_the_handler_it_is_assigned_to(crew, helpers):
    (_, rep1_api), (rep2, rep2_api), (_, boss) = crew["rep1"], crew["rep2"], crew["boss"]
    customer = rep1_api.post("/customers", json={"name": f"投诉通知{uuid.uuid4().hex[:6]}"}).json()
    complaint = rep1_api.post(f"/customers/{customer['id']}/complaints", json={"subject": "包装破损"}).json()
    assigned = boss.post(f"/complaints/{complaint['id']}/actions", json={"action": "assign", "handler_id": rep2["id"]})
    assert assigned.status_code == 200, assigned.text
    [told] = _told(helpers, rep2_api, "complaint_assigned", f"{customer['id']}/complaints")
    assert complaint["number"] in told["title"] and "包装破损" in told["body"]


def test_a_provider_is_told_of_a_dispatched_order_and_once_of_its_overdue_feedback(admin, crew, helpers):
    provider, provider_api = crew["provider"]
    order = admin.post("/field-service-orders", json={
        "contact_name": "王工", "contact_phone": "13800000001", "address": "苏州工业园区 1 号",
        "fault_description": "不制冷"}).json()
    step = lambda name, body: admin.post(f"/field-service-orders/{order['id']}/{name}", json=body)  # noqa: E731
    assert step("dispatch", {"provider_id": provider["id"], "provider_name": "苏州服务站"}).status_code == 200
    [dispatched] = _told(helpers, provider_api, "field_service_dispatched", order["id"])
    assert order["number"] in dispatched["title"] and "苏州工业园区" in dispatched["body"]

    assert step("confirm", {"technician_name": "李师傅", "technician_phone": "13900000001"}).status_code == 200
    fixed = datetime.now(timezone.utc) - timedelta(days=4)
    assert step("progress", {"arrived_at": (fixed - timedelta(hours=2)).isoformat(),
                             "fixed_at": fixed.isoformat()}).json()["status"] == "serviced"
    run = {"now": datetime.now(timezone.utc).isoformat()}
    assert admin.post("/field-service-reminders/run", json=run).json()["reminded"] >= 1
    assert admin.post("/field-service-reminders/run", json=run).json()["reminded"] == 0  # once per due time
    [overdue] = _told(helpers, provider_api, "field_service_feedback_overdue", order["id"])
    assert "overdue" in overdue["title"]
    assert len(_settled(helpers, provider_api, "field_service_feedback_overdue", order["id"])) == 1


def test_a_redelivered_event_tells_once(stack, crew, org, helpers):
    rep2, rep2_api = crew["rep2"]
    customer_id = str(uuid.uuid4())
    envelope = build_envelope("customers.owner_changed", {
        "customer_id": customer_id, "customer_name": "重投客户", "previous_owner_id": crew["rep1"][0]["id"],
        "reason": "transferred", "in_pool": False, "changed_by": crew["boss"][0]["id"], "owner_id": rep2["id"],
        "department_path": org["departments"]["Sales East"]["path"], "branch": "HQ"}, "HQ", None)
    with Connection(stack.amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer = Producer(conn.channel())
        for _ in range(2):
            producer.publish(envelope, exchange=Exchange("customers.events", type="topic", durable=True),
                             routing_key="owner_changed", delivery_mode=2, serializer="json")
    assert len(_settled(helpers, rep2_api, "customer_transferred", customer_id)) == 1
