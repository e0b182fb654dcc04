"""Moving a department in the tree (系统管理 · 部门, ADM-02): the department and everything under
it change path at the gateway, and every service rewrites the paths it scopes on, following
`customers.department_moved` (crm_common.department_moves): after the move the new parent's
manager sees the moved department's records and the old parent's manager no longer does."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

pytestmark = pytest.mark.e2e

READS = ["customers.read", "customers.write", "opportunities.read", "opportunities.write",
         "field_service.read", "field_service.write", "calendar.use"]


@pytest.fixture(scope="module")
def tree(admin, helpers):
    """Old parent ─ moved ─ child, and a new parent; a rep in `moved`, a manager (subtree) of each parent."""
    tag = uuid.uuid4().hex[:6]
    root = admin.get("/me").json()["department"]["id"]

    def department(name, parent):
        response = admin.post("/departments", json={"name": f"{name} {tag}", "parent_id": parent})
        assert response.status_code == 201, response.text
        return response.json()
    old, new = department("旧上级", root), department("新上级", root)
    moved = department("调动部门", old["id"])
    child = department("下属小组", moved["id"])
    roles = {scope: admin.post("/roles", json={"name": f"Move {scope} {tag}", "data_scope": scope,
                                               "permissions": READS}).json() for scope in ("own", "subtree")}
    people = {}
    for who, dept, scope in (("rep", moved, "own"), ("old_boss", old, "subtree"), ("new_boss", new, "subtree")):
        code = f"mv_{who}_{tag}"
        user = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                          "department_id": dept["id"], "role_ids": [roles[scope]["id"]]})
        assert user.status_code == 201, user.text
        people[who] = (code, helpers.login(code, f"{code}-password"))
    return {"old": old, "new": new, "moved": moved, "child": child, "people": people}


def _created(response):
    assert response.status_code == 201, response.text
    return response.json()


def test_a_moved_department_takes_its_records_to_the_new_parent_in_every_service(admin, tree, helpers):
    rep = tree["people"]["rep"][1]
    old_boss, new_boss = tree["people"]["old_boss"][1], tree["people"]["new_boss"][1]
    stage = _created(admin.post("/opportunity-stages", json={"name": f"调动阶段{uuid.uuid4().hex[:4]}", "position": 61,
                                                             "probability": "30", "outcome": "open"}))
    customer = _created(rep.post("/customers", json={"name": f"调动客户{uuid.uuid4().hex[:6]}"}))
    later = datetime.now(timezone.utc) + timedelta(days=3)
    records = [
        f"/customers/{customer['id']}",
        "/opportunities/" + _created(rep.post("/opportunities", json={
            "customer_id": customer["id"], "title": "调动商机", "stage_id": stage["id"],
            "expected_amount": "500.00", "expected_close_date": "2030-01-01"}))["id"],
        "/field-service-orders/" + _created(rep.post("/field-service-orders", json={
            "contact_name": "王工", "contact_phone": "13912345678", "address": "苏州工业园区 8 号",
            "fault_description": "不开机"}))["id"],
        "/calendar/events/" + _created(rep.post("/calendar/events", json={
            "title": "拜访", "starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=1)).isoformat()}))["id"],
    ]
    for path in records:
        assert old_boss.get(path).status_code == 200, path
        assert new_boss.get(path).status_code == 404, path

    moved_id = tree["moved"]["id"]
    before = admin.get(f"/departments/{moved_id}").json()
    for refused in (tree["child"]["id"], moved_id):  # under its own descendant, or under itself
        response = admin.post(f"/departments/{moved_id}/move", json={"parent_id": refused})
        assert response.status_code == 422, response.text
        assert "parent_id" in response.json()["errors"]
    assert admin.post(f"/departments/{moved_id}/move", json={"parent_id": str(uuid.uuid4())}).status_code == 422
    assert admin.get(f"/departments/{moved_id}").json() == before  # refused: nothing changed
    assert old_boss.get(records[0]).status_code == 200
    assert rep.post(f"/departments/{moved_id}/move", json={"parent_id": tree["new"]["id"]}).status_code == 403

    response = admin.post(f"/departments/{moved_id}/move", json={"parent_id": tree["new"]["id"]})
    assert response.status_code == 200, response.text
    after = response.json()
    assert after["parent_id"] == tree["new"]["id"]
    assert after["path"] == f"{tree['new']['path']}{moved_id}/"
    assert admin.get(f"/departments/{tree['child']['id']}").json()["path"] == f"{after['path']}{tree['child']['id']}/"
    assert rep.get("/me").status_code == 401  # the old path was a claim of their token

    def moved_everywhere():
        return all(new_boss.get(path).status_code == 200 for path in records)
    assert helpers.eventually(moved_everywhere, timeout=60), [new_boss.get(p).status_code for p in records]
    for path in records:
        assert old_boss.get(path).status_code == 404, path
    # finance keeps no record of this rep yet; its handler followed the same event all the same
    assert helpers.eventually(lambda: helpers.rows(
        "finance", "SELECT 1 FROM processed_events WHERE handler = 'FinanceService.on_department_moved'"))

    code = tree["people"]["rep"][0]
    again = helpers.login(code, f"{code}-password")  # a new token with the new path
    assert again.get("/me").json()["department"]["id"] == moved_id
    fresh = _created(again.post("/customers", json={"name": f"调动后客户{uuid.uuid4().hex[:6]}"}))
    assert new_boss.get(f"/customers/{fresh['id']}").status_code == 200
    assert old_boss.get(f"/customers/{fresh['id']}").status_code == 404
