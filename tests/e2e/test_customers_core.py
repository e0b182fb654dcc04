"""Customers over HTTP: lifecycle and history, query, duplicates and merge, custom fields,
statistics and export — always within the caller's data scope (CUS-01..06, 09..12)."""
import json
import uuid

import pytest

pytestmark = pytest.mark.e2e




@pytest.fixture(scope="module")
def boss(admin, org, helpers):
    """A customer manager of Sales East: department scope, may assign, merge and approve."""
    role = admin.post("/roles", json={"name": "Customer manager", "data_scope": "department", "permissions": [
        "customers.read", "customers.write", "customers.delete", "customers.assign", "customers.merge",
        "customers.approve_extension", "customers.export"]}).json()
    user = admin.post("/users", json={"code": "boss_a", "name": "Boss A", "password": "boss_a-password",
                                      "department_id": org["departments"]["Sales East"]["id"],
                                      "role_ids": [role["id"]]})
    assert user.status_code == 201, user.text
    return helpers.login("boss_a", "boss_a-password")


def test_lead_lifecycle_and_history(rep_a, rep_b):
    lead = rep_a.post("/leads", json={"name": "潜在客户甲有限公司", "source": "cold_visit"})
    assert lead.status_code == 201, lead.text
    lead = lead.json()
    assert (lead["status"], lead["stage"]) == ("lead", "new")
    lid = lead["id"]
    assert rep_a.post(f"/customers/{lid}/stage", json={"stage": "proposal"}).status_code == 409
    assert rep_a.post(f"/customers/{lid}/stage", json={"stage": "contacted"}).json()["stage"] == "contacted"
    assert rep_a.post(f"/customers/{lid}/stage", json={"stage": "bogus"}).status_code == 422
    assert rep_b.post(f"/customers/{lid}/stage", json={"stage": "qualified"}).status_code == 404
    rep_a.post(f"/customers/{lid}/interactions", json={"kind": "call", "summary": "首次电话"})
    converted = rep_a.post(f"/customers/{lid}/convert").json()
    assert (converted["status"], converted["stage"]) == ("customer", None)
    assert rep_a.post(f"/customers/{lid}/convert").status_code == 409
    back = rep_a.post(f"/customers/{lid}/back-to-lead").json()
    assert (back["status"], back["stage"]) == ("lead", "new")
    kinds = [h["kind"] for h in rep_a.get(f"/customers/{lid}/history").json()["items"]]
    assert kinds == ["back_to_lead", "converted", "interaction_added", "stage_changed", "created"]
    assert rep_b.get(f"/customers/{lid}/history").status_code == 404
    assert len(rep_a.get(f"/customers/{lid}/interactions").json()["items"]) == 1


def test_query_filters_and_detail(rep_a, rep_b):
    mark = uuid.uuid4().hex[:6]
    local = f"8{uuid.uuid4().int % 10**7:07d}"  # phones are checked: a Hangzhou landline of its own
    made = rep_a.post("/customers", json={
        "name": f"杭州西湖龙井茶业{mark}", "province": "浙江", "city": "杭州", "industry": "other",
        "phone": f"0571-{local}", "tags": ["vip", mark],
        "value_level": "a"})
    assert made.status_code == 201, made.text
    cid = made.json()["id"]
    assert rep_a.get("/customers", params={"name": f"西湖龙井茶业{mark}"}).json()["items"][0]["id"] == cid
    assert rep_a.get("/customers", params={"tag": mark, "city": "杭州"}).json()["items"][0]["id"] == cid
    assert rep_a.get("/customers", params={"phone": f"+86 571 {local}"}).json()["items"][0]["id"] == cid
    assert rep_b.get("/customers", params={"name": f"龙井茶业{mark}"}).json()["items"] == []
    assert rep_a.get("/customers", params={"sort": "password"}).status_code == 400
    assert rep_a.get("/customers", params={"cf.nope": "1"}).status_code == 400
    contact = rep_a.post(f"/customers/{cid}/contacts", json={"name": "陈经理", "is_key_member": True}).json()
    aide = rep_a.post(f"/customers/{cid}/contacts", json={"name": "小刘", "reports_to_id": contact["id"]}).json()
    cycle = rep_a.patch(f"/contacts/{contact['id']}", json={"reports_to_id": aide["id"]})
    assert cycle.status_code == 422 and "reports_to_id" in cycle.text
    assert rep_b.patch(f"/contacts/{aide['id']}", json={"title": "x"}).status_code == 404
    assert rep_a.patch(f"/contacts/{aide['id']}", json={"title": "助理", "decision_role": "gatekeeper"}).json()["title"] == "助理"
    other = rep_a.post("/customers", json={"name": f"龙井代理商{mark}"}).json()
    rel = rep_a.post(f"/customers/{cid}/relations", json={"to_id": other["id"], "kind": "agent"})
    assert rel.status_code == 201, rel.text
    assert rep_a.post(f"/customers/{cid}/relations", json={"to_id": other["id"], "kind": "agent"}).status_code == 409
    foreign = rep_b.post("/customers", json={"name": f"乙方的客户{mark}"}).json()
    assert rep_a.post(f"/customers/{cid}/relations", json={"to_id": foreign["id"], "kind": "partner"}).status_code == 422
    first = rep_a.post(f"/customers/{cid}/interactions", json={
        "kind": "visit", "summary": "拜访报告", "next_step": "报价", "next_followup_on": "2030-01-05",
        "contact_id": contact["id"]}).json()
    copy = rep_a.post(f"/interactions/{first['id']}/copy", json={"summary": "第二次拜访"})
    assert copy.status_code == 200, copy.text
    assert (copy.json()["next_step"], copy.json()["copied_from_id"], copy.json()["summary"]) == ("报价", first["id"], "第二次拜访")
    detail = rep_a.get(f"/customers/{cid}").json()
    assert [m["name"] for m in detail["key_members"]] == ["陈经理"]
    assert detail["relations"][0]["to_id"] == other["id"]
    assert len(detail["interactions"]) == 2 and detail["history"]


def test_keyset_pages_do_not_overlap(rep_a):
    mark = uuid.uuid4().hex[:6]
    for i in range(5):
        rep_a.post("/customers", json={"name": f"翻页测试{mark}-{i}", "confirm_duplicate": True})
    seen, cursor = [], None
    while True:
        page = rep_a.get("/customers", params={"name": f"翻页测试{mark}", "limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 5


def test_duplicates_and_merge(rep_a, rep_b, boss, events, helpers):
    mark = uuid.uuid4().hex[:6]
    target = rep_a.post("/customers", json={"name": f"上海天马贸易{mark}有限公司", "email": f"{mark}@tm.cn"}).json()
    dup = rep_a.post("/customers", json={"name": f"上海 天马贸易{mark} 公司"})
    assert dup.status_code == 409, dup.text
    assert target["id"] in json.dumps(dup.json())
    hidden = rep_b.post("/customers", json={"name": "x", "email": f"{mark.upper()}@TM.cn"})
    assert hidden.status_code == 409 and target["id"] not in hidden.text  # counted, not described
    source = rep_a.post("/customers", json={"name": f"上海天马贸易{mark}", "confirm_duplicate": True}).json()
    rep_a.post(f"/customers/{source['id']}/contacts", json={"name": "搬家的联系人"})
    rep_a.post(f"/customers/{source['id']}/interactions", json={"kind": "email", "summary": "moved"})
    assert rep_a.post(f"/customers/{target['id']}/merge", json={"source_id": source["id"]}).status_code == 403
    outsider = rep_b.post("/customers", json={"name": f"别人的{mark}"}).json()
    assert boss.post(f"/customers/{target['id']}/merge", json={"source_id": outsider["id"]}).status_code == 422
    merged = boss.post(f"/customers/{target['id']}/merge", json={"source_id": source["id"]})
    assert merged.status_code == 200, merged.text
    assert rep_a.get(f"/customers/{source['id']}").status_code == 404
    detail = rep_a.get(f"/customers/{target['id']}").json()
    assert "搬家的联系人" in {c["name"] for c in detail["contacts"]}
    assert "moved" in {i["summary"] for i in detail["interactions"]}
    assert helpers.eventually(events("customers.customer_merged", lambda d: d["source_id"] == source["id"]))


def test_custom_fields_validated_filtered_sorted(admin, rep_a):
    key = f"f{uuid.uuid4().hex[:6]}"
    assert rep_a.post("/customer-fields", json={"entity": "customer", "key": key, "label": "x", "type": "number"}).status_code == 403
    made = admin.post("/customer-fields", json={"entity": "customer", "key": key, "label": "员工数", "type": "number"})
    assert made.status_code == 201, made.text
    assert admin.post("/customer-fields", json={"entity": "customer", "key": key, "label": "y", "type": "text"}).status_code == 409
    bad = rep_a.post("/customers", json={"name": "字段错误公司", "custom": {key: "many"}})
    assert bad.status_code == 422 and key in bad.text
    assert rep_a.post("/customers", json={"name": "未知字段公司", "custom": {"nope": 1}}).status_code == 422
    ids = {}
    for n in (30, 5, 120):
        ids[n] = rep_a.post("/customers", json={"name": f"{key}-{n}号", "custom": {key: n},
                                                "confirm_duplicate": True}).json()["id"]
    found = rep_a.get("/customers", params={f"cf.{key}": "120"}).json()["items"]
    assert [c["id"] for c in found] == [ids[120]]
    assert rep_a.get("/customers", params={f"cf.{key}": "abc"}).status_code == 400
    order, cursor = [], None
    while True:
        page = rep_a.get("/customers", params={"name": key, "sort": f"-cf.{key}", "limit": 1,
                                               **({"cursor": cursor} if cursor else {})}).json()
        order += [c["custom"][key] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert order == [120, 30, 5]
    updated = rep_a.patch(f"/customers/{ids[5]}", json={"custom": {key: 6}})
    assert updated.status_code == 200 and updated.json()["custom"][key] == 6


def test_statistics_and_export_stay_in_scope(rep_a, rep_b, boss, helpers):
    level = helpers.pick("value_level", f"l{uuid.uuid4().hex[:5]}")
    for i in range(3):
        rep_a.post("/customers", json={"name": f"统计客户{level}{i}", "value_level": level, "confirm_duplicate": True})
    rep_b.post("/customers", json={"name": f"统计客户乙{level}", "value_level": level})
    def count(api):
        items = api.get("/customers/statistics", params={"by": "value_level"}).json()["items"]
        return {i["key"]: i["count"] for i in items}.get(level, 0)
    assert (count(rep_a), count(rep_b), count(boss)) == (3, 1, 3)
    trend = rep_a.get("/customers/statistics", params={"by": "month", "value_level": level}).json()["items"]
    assert sum(i["count"] for i in trend) == 3
    assert rep_a.get("/customers/statistics", params={"by": "owner_id"}).status_code == 400

    def visible(api):
        total, cursor = 0, None
        while True:
            page = api.get("/customers", params={"limit": 200, **({"cursor": cursor} if cursor else {})}).json()
            total, cursor = total + len(page["items"]), page["next_cursor"]
            if not cursor:
                return total

    def trend_total(api, period):  # unfiltered trends come from the trigger-kept rollup
        return sum(i["count"] for i in api.get("/customers/statistics", params={"by": period}).json()["items"])
    gone = rep_b.post("/customers", json={"name": f"将删除{level}", "confirm_duplicate": True}).json()
    rep_b.post(f"/customers/{gone['id']}/release")  # leaves rep_b's scope and the counts
    for api in (rep_a, rep_b, boss):
        assert trend_total(api, "month") == trend_total(api, "year") == visible(api)
    assert rep_a.get("/customers/export").status_code == 403
    exported = boss.get("/customers/export", params={"value_level": level})
    assert exported.status_code == 200, exported.text
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 3 and f"统计客户乙{level}" not in exported.text


def test_bad_customer_input_is_refused_and_writes_nothing(rep_a, rep_b, admin, helpers):
    mine = rep_a.post("/customers", json={"name": f"坏输入客户{uuid.uuid4().hex[:6]}"}).json()
    theirs = rep_b.post("/customers", json={"name": f"别人的坏输入客户{uuid.uuid4().hex[:6]}"}).json()
    key = f"b{uuid.uuid4().hex[:6]}"
    admin.post("/customer-fields", json={"entity": "customer", "key": key, "label": "级别", "type": "select",
                                         "options": ["gold", "silver"]})
    cases = [
        ("post", "/customers", {"name": "x", "custom": {key: "bronze"}}, 422),
        ("post", "/customers", {"name": "x", "group_id": str(uuid.uuid4())}, 422),
        ("post", "/customers", {"name": "x", "in_pool": True}, 422),
        ("post", "/leads", {"name": "x", "stage": "won"}, 422),
        ("patch", f"/customers/{mine['id']}", {"code": "HACK"}, 422),
        ("patch", f"/customers/{theirs['id']}", {"notes": "x"}, 404),
        ("post", f"/customers/{mine['id']}/stage", {"stage": "contacted"}, 409),
        ("post", f"/customers/{mine['id']}/back-to-lead", {}, 200),  # valid; undone below
        ("post", f"/customers/{mine['id']}/contacts", {"name": "x", "birthday": "1990-13-01"}, 422),
        ("post", f"/customers/{mine['id']}/interactions", {"kind": "fax", "summary": "x"}, 422),
        ("post", f"/customers/{mine['id']}/expenses", {"category": "travel", "amount": "12.5.1", "spent_on": "2026-01-01"}, 422),
        ("post", f"/customers/{mine['id']}/expenses", {"category": "travel", "amount": "-1", "spent_on": "2026-01-01"}, 422),
        ("post", f"/customers/{theirs['id']}/complaints", {"subject": "x"}, 404),
        ("post", f"/customers/{mine['id']}/claim", {}, 409),
        ("post", "/interactions/not-a-uuid/copy", {}, 404),
        ("post", "/extension-requests/00000000-0000-0000-0000-000000000001/approve", {}, 403),
    ]
    before = None
    failures = []
    for method, path, body, status in cases:
        if status == 200:
            continue
        if before is None:
            before = helpers.table_counts()
        response = getattr(rep_a, method)(path, json=body)
        if response.status_code != status or response.headers.get("Content-Type") != "application/problem+json":
            failures.append(f"{method} {path} {body}: {response.status_code} {response.text[:200]}")
    for params in ({"sort": "-cf.nope"}, {"sort": "owner_id"}, {f"cf.{key}": "bronze"}, {"status": "vip"},
                   {"owner_id": "x"}):
        if rep_a.get("/customers", params=params).status_code != 400:
            failures.append(f"GET /customers {params} was not a 400")
    assert not failures, "\n".join(failures)
    assert helpers.table_counts() == before
