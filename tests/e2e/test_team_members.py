"""Team members (团队成员, issue 17) over HTTP: a member outside the data scope sees the record in
get, list, name search, export and a background export; a read-only member cannot change it, a
read-write one can; an expired member and a non-member get 404; only the owner or a manager in
scope chooses the team; a transfer keeps the old owner as a member and carries the customer's
opportunities and contracts along (sales follows the customers event)."""
import csv
import io
import uuid
from datetime import datetime, timedelta, timezone

import pytest

pytestmark = pytest.mark.e2e

PERMISSIONS = ["customers.read", "customers.write", "customers.export", "customers.assign", "opportunities.read",
               "opportunities.write", "contracts.read", "contracts.write"]


@pytest.fixture(scope="module")
def people(admin, org, helpers):
    """Own-scope reps: two in Sales East (owner, heir), one in Sales West (the member), one more
    in West who is nobody's member; and a branch-scope manager who transfers."""
    tag = uuid.uuid4().hex[:6]
    own = admin.post("/roles", json={"name": f"Team rep {tag}", "data_scope": "own", "permissions": PERMISSIONS}).json()
    boss = admin.post("/roles", json={"name": f"Team boss {tag}", "data_scope": "branch",
                                      "permissions": PERMISSIONS}).json()
    out = {}
    for who, department, role in (("owner", "Sales East", own), ("heir", "Sales East", own),
                                  ("member", "Sales West", own), ("stranger", "Sales West", own),
                                  ("boss", "Sales East", boss)):
        code = f"tm_{who}_{tag}"
        user = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                          "department_id": org["departments"][department]["id"],
                                          "role_ids": [role["id"]]})
        assert user.status_code == 201, user.text
        out[who] = (user.json()["id"], helpers.login(code, f"{code}-password"))
    return out


def _created(response):
    assert response.status_code == 201, response.text
    return response.json()


def ids(response) -> list:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def csv_names(response) -> list:
    assert response.status_code == 200, response.text
    return [row["客户名称"] for row in csv.DictReader(io.StringIO(response.content.decode("utf-8")[1:]))]


def test_a_member_outside_the_scope_sees_the_customer_on_every_read_path(people, helpers):
    (_, owner), (member_id, member), (_, stranger) = people["owner"], people["member"], people["stranger"]
    mark = uuid.uuid4().hex[:8]
    customer = _created(owner.post("/customers", json={"name": f"团队客户{mark}"}))
    path = f"/customers/{customer['id']}"
    assert member.get(path).status_code == 404
    put = owner.put(f"{path}/members/{member_id}", json={"access": "read_only"})
    assert put.status_code == 200, put.text
    assert (put.json()["user_id"], put.json()["access"], put.json()["expires_on"]) == (member_id, "read_only", None)
    assert member.get(path).json()["id"] == customer["id"]
    assert customer["id"] in ids(member.get("/customers"))
    assert ids(member.get("/customers", params={"name": mark})) == [customer["id"]]
    assert csv_names(member.get("/customers/export", params={"name": mark})) == [customer["name"]]
    job = member.post("/exports", json={"list": "customers", "query": {"name": mark}})
    assert job.status_code == 202, job.text
    done = helpers.eventually(lambda: (lambda j: j if j["status"] in ("done", "failed") else None)(
        member.get(f"/exports/{job.json()['id']}").json()), timeout=120)
    assert (done["status"], done["total"]) == ("done", 1), done
    assert csv_names(member.get(f"/exports/{done['id']}/file")) == [customer["name"]]
    assert [m["user_id"] for m in member.get(f"{path}/members").json()] == [member_id]
    # nobody else: still as if it did not exist
    for response in (stranger.get(path), stranger.get(f"{path}/members"),
                     stranger.put(f"{path}/members/{member_id}", json={"access": "read_write"})):
        assert response.status_code == 404
    assert ids(stranger.get("/customers", params={"name": mark})) == []
    assert csv_names(stranger.get("/customers/export", params={"name": mark})) == []


def test_read_only_cannot_edit_read_write_can_and_only_the_owner_chooses(people):
    (_, owner), (member_id, member), (stranger_id, _) = people["owner"], people["member"], people["stranger"]
    customer = _created(owner.post("/customers", json={"name": f"团队编辑{uuid.uuid4().hex[:8]}"}))
    path = f"/customers/{customer['id']}"
    assert owner.put(f"{path}/members/{member_id}", json={"access": "read_only"}).status_code == 200
    refused = member.patch(path, json={"city": "杭州"})
    assert refused.status_code == 403 and refused.headers["Content-Type"].startswith("application/problem+json")
    assert owner.get(path).json()["city"] != "杭州"
    assert owner.put(f"{path}/members/{member_id}", json={"access": "read_write"}).status_code == 200
    assert member.patch(path, json={"city": "杭州"}).json()["city"] == "杭州市"  # the region table's name
    assert member.put(f"{path}/members/{stranger_id}", json={"access": "read_only"}).status_code == 403
    bad = owner.put(f"{path}/members/{member_id}", json={"access": "owner", "expires_on": "2001-01-01"})
    assert bad.status_code == 422 and "access" in bad.json()["errors"]
    past = owner.put(f"{path}/members/{member_id}", json={"access": "read_only", "expires_on": "2001-01-01"})
    assert past.status_code == 422 and "expires_on" in past.json()["errors"]
    assert owner.put(f"{path}/members/{uuid.uuid4()}", json={"access": "read_only"}).status_code == 422
    assert [m["access"] for m in owner.get(f"{path}/members").json()] == ["read_write"]  # refusals changed nothing
    assert owner.delete(f"{path}/members/{member_id}").status_code == 204
    assert member.get(path).status_code == 404
    assert owner.delete(f"{path}/members/{member_id}").status_code == 404


def test_an_expired_member_gets_404(people, clock):
    (_, owner), (member_id, member) = people["owner"], people["member"]
    customer = _created(owner.post("/customers", json={"name": f"团队到期{uuid.uuid4().hex[:8]}"}))
    path = f"/customers/{customer['id']}"
    now = datetime.now(timezone.utc)
    clock.set(now)
    today = now.astimezone(timezone(timedelta(hours=8))).date()  # the branch's (Asia/Shanghai)
    put = owner.put(f"{path}/members/{member_id}", json={"access": "read_only", "expires_on": today.isoformat()})
    assert put.status_code == 200, put.text
    assert member.get(path).status_code == 200
    clock.set(now + timedelta(days=1))  # the branch's next day: the membership is over
    assert member.get(path).status_code == 404
    assert customer["id"] not in ids(member.get("/customers"))
    assert owner.get(f"{path}/members").json()[0]["live"] is False


def test_a_transfer_keeps_the_old_owner_and_carries_opportunities_and_contracts(people, admin, helpers):
    (owner_id, owner), (heir_id, heir), (_, boss) = people["owner"], people["heir"], people["boss"]
    customer = _created(owner.post("/customers", json={"name": f"团队转移{uuid.uuid4().hex[:8]}"}))
    stage = _created(admin.post("/opportunity-stages", json={"name": f"团队阶段{uuid.uuid4().hex[:4]}",
                                                             "position": 70, "probability": "40", "outcome": "open"}))
    opportunity = _created(owner.post("/opportunities", json={
        "customer_id": customer["id"], "title": "团队项目", "stage_id": stage["id"], "expected_amount": "1000.00",
        "expected_close_date": "2030-01-01"}))
    contract = _created(owner.post("/contracts", json={
        "customer_id": customer["id"], "kind": "service", "title": "年度维保", "start_date": "2026-01-01",
        "end_date": "2030-12-31", "amount": "1200.00", "commission_split": [{"user_id": owner_id, "percent": "100"}]}))
    moved = boss.post(f"/customers/{customer['id']}/assign", json={
        "owner_id": heir_id, "keep_previous_owner": "read_only", "carry_related": True})
    assert moved.status_code == 200, moved.text
    assert moved.json()["owner_id"] == heir_id
    # the old owner still sees the customer, as a read-only member
    assert owner.get(f"/customers/{customer['id']}").status_code == 200
    assert owner.patch(f"/customers/{customer['id']}", json={"city": "杭州"}).status_code == 403
    assert [(m["user_id"], m["access"]) for m in heir.get(f"/customers/{customer['id']}/members").json()] == [
        (owner_id, "read_only")]
    # sales follows: the heir owns the opportunity and the contract, the old owner is their member
    carried = helpers.eventually(lambda: heir.get(f"/opportunities/{opportunity['id']}").status_code == 200
                                 and heir.get(f"/contracts/{contract['id']}").status_code == 200)
    assert carried
    assert heir.get(f"/opportunities/{opportunity['id']}").json()["owner_id"] == heir_id
    assert heir.get(f"/contracts/{contract['id']}").json()["owner_id"] == heir_id
    assert [m["user_id"] for m in owner.get(f"/opportunities/{opportunity['id']}/members").json()] == [owner_id]
    assert owner.patch(f"/opportunities/{opportunity['id']}", json={"title": "改"}).status_code == 403
    assert opportunity["id"] in ids(owner.get("/opportunities"))
    assert contract["id"] in ids(owner.get("/contracts"))
    # a plain transfer (the batch assign's default) keeps nobody and moves nothing else
    plain = _created(owner.post("/customers", json={"name": f"团队普通{uuid.uuid4().hex[:8]}"}))
    assert boss.post(f"/customers/{plain['id']}/assign", json={"owner_id": heir_id}).status_code == 200
    assert owner.get(f"/customers/{plain['id']}").status_code == 404
