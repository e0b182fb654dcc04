"""Call log, handling queue, work orders and their statistics (WSP-03); knowledge base search in
Chinese (WSP-04); SMS with opt-outs (WSP-09)."""
import uuid

import pytest
from datetime import datetime
from crm_common.branch_time import day_of, zone

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def business(admin):
    root = admin.post("/categories", json={"kind": "business", "name": f"售后服务-{uuid.uuid4().hex[:4]}"})
    assert root.status_code == 201, root.text
    child = admin.post("/categories", json={"kind": "business", "name": "维修", "parent_id": root.json()["id"]})
    assert child.status_code == 201, child.text
    assert child.json()["path"] == f"{root.json()['path']}{child.json()['id']}/"
    return {"root": root.json(), "repair": child.json()}


@pytest.fixture(scope="module")
def caller(rep_a):
    """A customer of rep_a (Sales East) whose contact calls from a mobile."""
    # numbers no other test uses; a local landline number never starts with 0 or 1
    digits = f"{2 + uuid.uuid4().int % 8}{uuid.uuid4().int % 10**7:07d}"
    customer = rep_a.post("/customers", json={"name": "杭州西湖贸易有限公司",
                                              "phone": f"0571-{digits[:4]} {digits[4:]}"}).json()
    contact = rep_a.post(f"/customers/{customer['id']}/contacts",
                         json={"name": "李经理", "mobile": f"139 {digits[:4]} {digits[4:]}"}).json()
    return {"customer": customer, "contact": contact, "mobile": f"139{digits}", "switchboard": f"0571{digits}"}


def test_incoming_call_is_matched_to_customer_and_contact_within_scope(desk, caller, business):
    boss, b = desk["api"]["desk_boss"], desk["api"]["desk_b"]
    mobile = caller["mobile"]
    call = boss.post("/calls", json={"phone": f"+86 {mobile[:3]}-{mobile[3:7]}-{mobile[7:]}",
                                     "summary": "询问发货时间", "category_id": business["repair"]["id"]})
    assert call.status_code == 201, call.text
    call = call.json()
    assert call["phone"] == mobile and call["status"] == "pending"
    assert call["customer_id"] == caller["customer"]["id"] and call["customer_name"] == "杭州西湖贸易有限公司"
    assert call["contact_id"] == caller["contact"]["id"] and call["contact_name"] == "李经理"
    # the company's switchboard number matches the customer without a contact
    by_company = boss.post("/calls", json={"phone": caller["switchboard"], "summary": "总机来电"}).json()
    assert by_company["customer_id"] == caller["customer"]["id"] and by_company["contact_id"] is None
    # someone who cannot see that customer gets no match (and learns nothing about it)
    unmatched = b.post("/calls", json={"phone": mobile, "summary": "同一个号码"}).json()
    assert unmatched["customer_id"] is None and unmatched["customer_name"] is None


def test_pending_call_is_handled_once_and_stays_in_scope(desk):
    a, a2, boss = desk["api"]["desk_a"], desk["api"]["desk_a2"], desk["api"]["desk_boss"]
    call = a.post("/calls", json={"phone": "021-5555 0000", "summary": "投诉物流慢", "source": "wechat"}).json()
    assert call["id"] in {c["id"] for c in boss.get("/calls", params={"status": "pending"}).json()["items"]}
    assert a2.get(f"/calls/{call['id']}").status_code == 404
    assert a2.post(f"/calls/{call['id']}/handle", json={"result": "x"}).status_code == 404
    handled = a.post(f"/calls/{call['id']}/handle", json={"result": "已联系物流, 明天送达"})
    assert handled.status_code == 200, handled.text
    assert handled.json()["status"] == "handled" and handled.json()["handled_by"] == desk["users"]["desk_a"]["id"]
    assert a.post(f"/calls/{call['id']}/handle", json={"result": "again"}).status_code == 409
    assert call["id"] not in {c["id"] for c in a.get("/calls", params={"status": "pending"}).json()["items"]}


def test_bad_calls_are_refused_and_nothing_is_stored(desk, helpers, business):
    a = desk["api"]["desk_a"]
    before = helpers.table_counts()
    for body in ({"phone": "not a phone", "summary": "x"}, {"phone": "13900000000", "summary": " "},
                 {"phone": "13900000000", "summary": "x", "source": "pigeon"},
                 {"phone": "13900000000", "summary": "x", "category_id": str(uuid.uuid4())},
                 {"phone": "13900000000", "summary": "x", "status": "handled"}):
        assert a.post("/calls", json=body).status_code == 422, body
    assert a.post("/work-orders", json={"category_id": business["repair"]["id"], "title": "x",
                                        "description": "y", "call_id": str(uuid.uuid4())}).status_code == 404
    assert helpers.table_counts() == before


def test_work_orders_from_calls_by_category_and_statistics(desk, business):
    a, b = desk["api"]["desk_a"], desk["api"]["desk_b"]
    call = a.post("/calls", json={"phone": "13800001111", "summary": "空调不制冷", "source": "phone",
                                  "category_id": business["repair"]["id"]}).json()
    order = a.post("/work-orders", json={"call_id": call["id"], "category_id": business["repair"]["id"],
                                         "title": "上门维修空调", "description": "客户在滨江区"})
    assert order.status_code == 201, order.text
    order = order.json()
    assert order["number"].startswith("WO-") and order["source"] == "phone" and order["status"] == "open"
    # filtering by the parent category includes its sub-categories
    listed = a.get("/work-orders", params={"category_id": business["root"]["id"]}).json()["items"]
    assert order["id"] in {o["id"] for o in listed}
    assert b.get(f"/work-orders/{order['id']}").status_code == 404
    assert b.post("/work-orders", json={"call_id": call["id"], "category_id": business["repair"]["id"],
                                        "title": "x", "description": "y"}).status_code == 404
    closed = a.post(f"/work-orders/{order['id']}/close", json={"resolution": "更换压缩机"})
    assert closed.json()["status"] == "closed"
    assert a.post(f"/work-orders/{order['id']}/close", json={"resolution": "again"}).status_code == 409

    # the statistics count Beijing days: 23:30 UTC is the next one
    today = day_of(datetime.fromisoformat(call["received_at"]), zone()).isoformat()
    stats = a.get("/call-statistics", params={"date_from": today, "date_to": today})
    assert stats.status_code == 200, stats.text
    stats = stats.json()
    by_source = {row["key"]: row["count"] for row in stats["calls_by_source"]}
    by_category = {row["key"]: row["count"] for row in stats["work_orders_by_category"]}
    assert by_source.get("phone", 0) >= 1 and by_category.get(business["repair"]["id"], 0) >= 1
    # desk_b's own scope has none of desk_a's calls
    b_stats = b.get("/call-statistics", params={"date_from": today, "date_to": today}).json()
    assert business["repair"]["id"] not in {row["key"] for row in b_stats["work_orders_by_category"]}
    assert a.get("/call-statistics", params={"date_from": "2026-02-01", "date_to": "2026-01-01"}).status_code == 400
    assert a.get("/call-statistics", params={"date_from": "2020-01-01", "date_to": "2026-01-01"}).status_code == 400
    last = a.get("/call-statistics", params={"date_from": "9999-12-31", "date_to": "9999-12-31"})
    assert last.status_code == 200 and last.json()["calls_by_source"] == []


def test_knowledge_base_finds_chinese_words_inside_sentences(admin, desk):
    category = admin.post("/categories", json={"kind": "article", "name": f"产品知识-{uuid.uuid4().hex[:4]}"}).json()
    marker = uuid.uuid4().hex[:6]
    texts = {
        "退货流程": f"客户收到货物后七天内可以申请无理由退货 {marker}",
        "发票说明": f"增值税专用发票需要提供开票信息和纳税人识别号 {marker}",
        "保修政策": f"整机保修一年，压缩机保修三年 {marker}",
    }
    for title, body in texts.items():
        response = admin.post("/articles", json={"category_id": category["id"], "title": title, "body": body})
        assert response.status_code == 201, response.text
    reader = desk["api"]["desk_b"]

    def found(q):
        response = reader.get("/articles", params={"q": q, "category_id": category["id"]})
        assert response.status_code == 200, response.text
        return {a["title"] for a in response.json()["items"]}
    assert found("无理由") == {"退货流程"}  # three characters in the middle of a sentence
    assert found("发票") == {"发票说明"}  # a two-character word, also in the title
    assert found("保修") == {"保修政策"}
    assert found("纳税人识别号") == {"发票说明"}
    assert found("识别码") == set()
    assert found("%") == set()  # LIKE wildcards are literals
    assert found(marker) == set(texts)
    assert reader.post("/articles", json={"category_id": category["id"], "title": "x", "body": "y"}).status_code == 403


def test_sms_is_recorded_logged_and_opt_outs_are_respected(admin, desk, helpers):
    a = desk["api"]["desk_a"]
    sent = a.post("/sms", json={"phone": "+86 137 0000 1234", "body": "您的订单已发货"})
    assert sent.status_code == 201, sent.text
    assert sent.json()["status"] == "recorded" and sent.json()["provider"] == "record"
    log = a.get("/sms", params={"phone": "13700001234"}).json()["items"]
    assert sent.json()["id"] in {m["id"] for m in log}
    assert sent.json()["id"] not in {m["id"] for m in desk["api"]["desk_b"].get("/sms").json()["items"]}
    assert admin.post("/sms/opt-outs", json={"phone": "137-0000-1234", "reason": "客户要求"}).status_code == 201
    before = helpers.table_counts()
    refused = a.post("/sms", json={"phone": "13700001234", "body": "促销信息"})
    assert refused.status_code == 422 and "phone" in refused.json()["errors"]
    assert a.post("/sms", json={"phone": "abc", "body": "x"}).status_code == 422
    assert helpers.table_counts() == before
    assert a.post("/sms/opt-outs", json={"phone": "13700001234"}).status_code == 403
    assert admin.delete("/sms/opt-outs/13700001234").status_code == 204
    assert a.post("/sms", json={"phone": "13700001234", "body": "恢复发送"}).status_code == 201


def test_articles_are_edited_in_the_authors_scope_and_search_follows(admin, desk):
    category = admin.post("/categories", json={"kind": "article", "name": f"FAQ-{uuid.uuid4().hex[:4]}"}).json()
    assert admin.post("/categories", json={"kind": "article", "name": category["name"]}).status_code == 409
    article = admin.post("/articles", json={"category_id": category["id"], "title": "开票", "body": "旧内容"}).json()
    updated = admin.patch(f"/articles/{article['id']}", json={"body": "电子发票当天开具"})
    assert updated.status_code == 200 and updated.json()["body"] == "电子发票当天开具"
    found = desk["api"]["desk_a"].get("/articles", params={"q": "电子发票", "category_id": category["id"]})
    assert [a["id"] for a in found.json()["items"]] == [article["id"]]
    assert desk["api"]["desk_a"].get("/articles", params={"q": "旧内容", "category_id": category["id"]}).json()["items"] == []
    assert admin.patch(f"/articles/{article['id']}", json={"owner_id": str(uuid.uuid4())}).status_code == 422
