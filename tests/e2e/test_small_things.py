"""Small things users reach for (issue 17): stars (关注) and the starred filter on the customer and
opportunity lists, the opportunity's stage history with the time in each stage, the login log."""
import uuid

import pytest

pytestmark = pytest.mark.e2e

PERMISSIONS = ["customers.read", "customers.write", "opportunities.read", "opportunities.write"]


@pytest.fixture(scope="module")
def sellers(admin, org, helpers):
    """An own-scope seller in each sales department, and a department-scope one in the first."""
    own = admin.post("/roles", json={"name": "Seller", "data_scope": "own", "permissions": PERMISSIONS}).json()
    dept = admin.post("/roles", json={"name": "Seller lead", "data_scope": "department",
                                      "permissions": PERMISSIONS}).json()
    apis = {}
    for code, department, role in (("sel_e", "Sales East", own), ("sel_w", "Sales West", own),
                                   ("lead_e", "Sales East", dept)):
        response = admin.post("/users", json={"code": code, "name": code, "password": f"{code}-password",
                                              "department_id": org["departments"][department]["id"],
                                              "role_ids": [role["id"]]})
        assert response.status_code == 201, response.text
        apis[code] = helpers.login(code, f"{code}-password")
    return apis


@pytest.fixture(scope="module")
def stages(admin):
    tag = uuid.uuid4().hex[:6]

    def stage(name, position, outcome="open"):
        response = admin.post("/opportunity-stages", json={"name": f"{name}{tag}", "position": position,
                                                           "probability": "30", "outcome": outcome})
        assert response.status_code == 201, response.text
        return response.json()
    return {"contact": stage("接洽", 101), "offer": stage("报价", 102), "talks": stage("谈判", 103),
            "won": stage("赢单", 109, "won")}  # winning moves to the first won stage there is


def ids(page):
    return [item["id"] for item in page["items"]]


def test_a_star_is_personal_scoped_and_filters_the_customer_list(sellers):
    east, west, lead = sellers["sel_e"], sellers["sel_w"], sellers["lead_e"]
    mark = uuid.uuid4().hex[:8]
    starred, plain = (east.post("/customers", json={"name": f"关注{mark}{n}"}).json() for n in ("甲", "乙"))
    response = east.put(f"/customers/{starred['id']}/star")
    assert response.status_code == 200 and response.json() == {"id": starred["id"], "starred": True}
    assert east.put(f"/customers/{starred['id']}/star").status_code == 200  # twice: still one star
    page = east.get("/customers", params={"starred": "true", "name": mark}).json()
    assert ids(page) == [starred["id"]] and page["items"][0]["starred"] is True
    assert ids(east.get("/customers", params={"starred": "false", "name": mark}).json()) == [plain["id"]]
    assert {c["id"]: c["starred"] for c in east.get("/customers", params={"name": mark}).json()["items"]} == {
        starred["id"]: True, plain["id"]: False}
    # the department lead sees both customers, but the star is not theirs
    assert ids(lead.get("/customers", params={"starred": "true", "name": mark}).json()) == []
    assert lead.put(f"/customers/{plain['id']}/star").status_code == 200
    assert ids(lead.get("/customers", params={"starred": "true", "name": mark}).json()) == [plain["id"]]
    assert ids(east.get("/customers", params={"starred": "true", "name": mark}).json()) == [starred["id"]]
    # out of scope: as if the customer did not exist
    assert west.put(f"/customers/{starred['id']}/star").status_code == 404
    assert west.delete(f"/customers/{starred['id']}/star").status_code == 404
    assert east.get("/customers", params={"starred": "maybe"}).status_code == 400
    assert east.delete(f"/customers/{starred['id']}/star").status_code == 204
    assert ids(east.get("/customers", params={"starred": "true", "name": mark}).json()) == []


def _opportunity(api, customer, stage, title):
    response = api.post("/opportunities", json={"customer_id": customer["id"], "title": title,
                                                "stage_id": stage["id"], "expected_amount": "5000.00",
                                                "expected_close_date": "2030-06-30"})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_star_filters_the_opportunity_list(sellers, stages):
    east, west, lead = sellers["sel_e"], sellers["sel_w"], sellers["lead_e"]
    customer = east.post("/customers", json={"name": f"商机关注{uuid.uuid4().hex[:8]}"}).json()
    starred = _opportunity(east, customer, stages["contact"], "关注的商机")
    plain = _opportunity(east, customer, stages["contact"], "普通商机")
    assert east.put(f"/opportunities/{starred['id']}/star").json()["starred"] is True
    query = {"customer_id": customer["id"]}
    mine = east.get("/opportunities", params={**query, "starred": "true"}).json()
    assert ids(mine) == [starred["id"]] and mine["items"][0]["starred"] is True
    assert ids(east.get("/opportunities", params={**query, "starred": "false"}).json()) == [plain["id"]]
    assert set(ids(lead.get("/opportunities", params=query).json())) == {starred["id"], plain["id"]}
    assert ids(lead.get("/opportunities", params={**query, "starred": "true"}).json()) == []
    assert west.put(f"/opportunities/{starred['id']}/star").status_code == 404
    assert east.delete(f"/opportunities/{starred['id']}/star").status_code == 204
    assert ids(east.get("/opportunities", params={**query, "starred": "true"}).json()) == []


def test_the_stage_history_says_how_long_the_opportunity_stayed_in_each_stage(sellers, stages, helpers):
    east, west, lead = sellers["sel_e"], sellers["sel_w"], sellers["lead_e"]
    customer = east.post("/customers", json={"name": f"阶段历史{uuid.uuid4().hex[:8]}"}).json()
    opportunity = _opportunity(east, customer, stages["contact"], "阶段历史")
    for stage in ("offer", "contact", "talks"):  # back to 接洽 once: a second stay there
        moved = east.post(f"/opportunities/{opportunity['id']}/move", json={"stage_id": stages[stage]["id"]})
        assert moved.status_code == 200, moved.text
    assert east.post(f"/opportunities/{opportunity['id']}/win", json={"reason": "价格合适"}).status_code == 200

    history = east.get(f"/opportunities/{opportunity['id']}/stage-history")
    assert history.status_code == 200, history.text
    stays = history.json()["items"]
    names = [s["stage_name"] for s in stays]
    assert names[:4] == [stages[k]["name"] for k in ("contact", "offer", "contact", "talks")] and len(names) == 5
    assert stays[-1]["outcome"] == "won" and stays[-1]["left_at"] is None
    assert all(s["left_at"] is not None for s in stays[:-1])
    assert all(a["left_at"] == b["entered_at"] for a, b in zip(stays, stays[1:], strict=False))  # no gap

    # the clock cannot be waited for: give the stays known lengths, as days of real use would
    rows = helpers.rows("sales", "SELECT id FROM opportunity_stage_history WHERE opportunity_id = %s"
                        " ORDER BY entered_at, id", (opportunity["id"],))
    hours = [48, 84, 12, 24]  # 接洽 2 d, 报价 3.5 d, 接洽 again 0.5 d, 谈判 1 d
    start = "2026-01-05T00:00:00+00"
    elapsed = 0
    for (row_id,), length in zip(rows, hours + [None], strict=True):
        left = f"'{start}'::timestamptz + interval '{elapsed + length} hours'" if length is not None else "NULL"
        helpers.rows("sales", f"UPDATE opportunity_stage_history SET entered_at = '{start}'::timestamptz"
                     f" + interval '{elapsed} hours', left_at = {left} WHERE id = %s RETURNING id", (row_id,))
        elapsed += length or 0
    answer = east.get(f"/opportunities/{opportunity['id']}/stage-history").json()
    assert [s["days"] for s in answer["items"][:4]] == ["2.00", "3.50", "0.50", "1.00"]
    assert [s["seconds"] for s in answer["items"][:4]] == [h * 3600 for h in hours]
    assert answer["items"][-1]["seconds"] > 0  # won on 2026-01-12, still won now
    by_stage = {s["stage_name"]: s["days"] for s in answer["by_stage"]}
    assert by_stage[stages["contact"]["name"]] == "2.50" and by_stage[stages["offer"]["name"]] == "3.50"
    # in pipeline order; the won stage the opportunity ended in may be another module's (stages are shared)
    own = [stages[k]["name"] for k in ("contact", "offer", "talks")]
    assert [s["stage_name"] for s in answer["by_stage"] if s["stage_name"] in own] == own
    assert lead.get(f"/opportunities/{opportunity['id']}/stage-history").status_code == 200
    assert west.get(f"/opportunities/{opportunity['id']}/stage-history").status_code == 404


def test_the_login_log_is_the_users_own_and_their_administrators(admin, anonymous, sellers, rep_a, helpers):
    me = sellers["sel_e"].get("/me").json()
    assert anonymous.post("/auth/login", json={"username": "sel_e", "password": "wrong"}).status_code == 401
    good = anonymous.post("/auth/login", json={"username": "sel_e", "password": "sel_e-password"},
                          headers={"User-Agent": "Mozilla/5.0 (Windows NT 10.0) CRM-test-browser"})
    assert good.status_code == 200
    mine = helpers.login("sel_e", "sel_e-password").get("/me/logins", params={"limit": 3}).json()["items"]
    assert [r["outcome"] for r in mine] == ["succeeded", "succeeded", "wrong_password"]  # newest first
    assert mine[1]["user_agent"] == "Mozilla/5.0 (Windows NT 10.0) CRM-test-browser" and mine[1]["client_ip"]
    assert {r["id"] for r in sellers["sel_w"].get("/me/logins").json()["items"]}.isdisjoint(r["id"] for r in mine)

    theirs = admin.get(f"/users/{me['id']}/logins", params={"limit": 3})
    assert theirs.status_code == 200 and theirs.json()["items"] == mine
    wrong = admin.get(f"/users/{me['id']}/logins", params={"outcome": "wrong_password"}).json()["items"]
    assert wrong and {r["outcome"] for r in wrong} == {"wrong_password"}
    assert rep_a.get(f"/users/{me['id']}/logins").status_code == 403  # not an administrator
    assert admin.get(f"/users/{uuid.uuid4()}/logins").status_code == 404
    assert anonymous.get("/me/logins").status_code == 401
