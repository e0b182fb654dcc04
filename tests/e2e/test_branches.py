"""Regional branches (ADM-09): two branches with their own vhosts and databases behind one gateway."""
import csv
import io
import time
import uuid

import pytest

from crm_gateway.routes import ROUTES

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def branches(stack, two_branches):
    """Shanghai runs everything incl. the gateway; Beijing runs its own five services."""
    with two_branches("br", 18060, 18170, stack.log_dir, CRM_ADMIN_PASSWORD="branch-admin-password") as (sh, bj):
        yield {"sh": sh, "bj": bj}


@pytest.fixture(scope="module")
def people(branches, helpers_for):
    login = helpers_for(branches["sh"])
    admin = login("admin", "branch-admin-password")
    roots = {}
    for name, code in (("上海分公司", "SH"), ("北京分公司", "BJ")):
        roots[code] = admin.post("/departments", json={"name": name, "branch": code}).json()
    role = admin.post("/roles", json={"name": "Branch rep", "data_scope": "branch",
                                      "permissions": ["customers.read", "customers.write"]}).json()
    for code in ("SH", "BJ"):
        response = admin.post("/users", json={"code": f"rep_{code.lower()}", "name": f"Rep {code}",
                                              "department_id": roots[code]["id"], "password": f"rep-{code}-password",
                                              "role_ids": [role["id"]]})
        assert response.status_code == 201, response.text
    return {"admin": admin, "sh": login("rep_sh", "rep-SH-password"), "bj": login("rep_bj", "rep-BJ-password")}


def test_each_rep_sees_only_their_branch_and_head_office_sees_both(people):
    sh_customers = [people["sh"].post("/customers", json={"name": f"上海客户{i}"}).json() for i in range(3)]
    bj_customers = [people["bj"].post("/customers", json={"name": f"北京客户{i}"}).json() for i in range(2)]
    assert all(c["code"].startswith("C-SH-") for c in sh_customers)
    assert all(c["code"].startswith("C-BJ-") for c in bj_customers)
    assert not {c["id"] for c in sh_customers} & {c["id"] for c in bj_customers}

    sh_view = {c["id"] for c in people["sh"].get("/customers").json()["items"]}
    assert sh_view == {c["id"] for c in sh_customers}
    assert people["sh"].get(f"/customers/{bj_customers[0]['id']}").status_code == 404
    assert people["bj"].get(f"/customers/{sh_customers[0]['id']}").status_code == 404

    # Head office: one list across branches, walked page by page, each record exactly once.
    seen, cursor = [], None
    while True:
        page = people["admin"].get("/customers", params={"limit": 2, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        assert body["missing_branches"] == []
        seen += [c["id"] for c in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(c["id"] for c in sh_customers + bj_customers)
    assert people["admin"].get(f"/customers/{bj_customers[0]['id']}").json()["branch"] == "BJ"
    renamed = people["admin"].patch(f"/customers/{bj_customers[1]['id']}", json={"short_name": "北京二"})
    assert renamed.status_code == 200 and renamed.json()["short_name"] == "北京二"


def test_head_office_pages_through_every_list_across_branches(people):
    """Every list merges for head office: the fan-out's sort and limit are ones each service takes.
    (Reports answer per branch: test_authorization_matrix.py::test_head_office_reads_every_report.)"""
    admin, wrong = people["admin"], []
    for route in ROUTES:
        if route.method != "GET" or route.takes != "query" or "<" in route.path or route.report:
            continue
        first = admin.get(route.path, params={"limit": 1})
        if first.status_code != 200:
            wrong.append(f"{route.path}: {first.status_code} {first.text[:200]}")
        elif first.json().get("next_cursor"):
            second = admin.get(route.path, params={"limit": 1, "cursor": first.json()["next_cursor"]})
            if second.status_code != 200:
                wrong.append(f"{route.path} page 2: {second.status_code} {second.text[:200]}")
    assert not wrong, "\n".join(wrong)


def test_head_office_sees_each_branchs_health(people):
    answer = people["admin"].get("/branches")
    assert answer.status_code == 200, answer.text
    every = {service: True for service in ("customers", "sales", "logistics", "finance", "workspace")}
    # no company name set: each prints its first root department's name
    assert answer.json()["items"] == [
        {"code": "BJ", "reachable": True, "services": every, "company_name": None, "printed_name": "北京分公司"},
        {"code": "SH", "reachable": True, "services": every, "company_name": None, "printed_name": "Head office"}]
    assert people["sh"].get("/branches").status_code == 403  # admin.events only


def test_beijing_down_leaves_shanghai_working_and_head_office_told(branches, people):
    branches["bj"].kill("customers")
    try:
        started = time.monotonic()
        assert people["sh"].get("/customers").status_code == 200
        merged = people["admin"].get("/customers")
        assert merged.status_code == 200
        assert merged.json()["missing_branches"] == ["BJ"]
        assert all(c["branch"] == "SH" for c in merged.json()["items"])
        health = {b["code"]: b for b in people["admin"].get("/branches").json()["items"]}
        assert health["BJ"]["reachable"] and health["BJ"]["services"]["customers"] is False
        assert health["BJ"]["services"]["sales"] and health["SH"]["services"]["customers"]
        assert time.monotonic() - started < 60  # a hang guard: the fan-out timeout is 3 s
    finally:
        branches["bj"].start("customers")
        branches["bj"].wait_ready("customers")


def test_head_office_exports_every_branch(people):
    """An export by head office (scope all) walks each branch's pages in turn (issue 14)."""
    mark = uuid.uuid4().hex[:8]
    for who, city in (("sh", "上海"), ("bj", "北京")):
        assert people[who].post("/customers", json={"name": f"总部导出{mark}{city}"}).status_code == 201

    def names(response):
        assert response.status_code == 200, response.text
        return {r["客户名称"] for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    wanted = {f"总部导出{mark}上海", f"总部导出{mark}北京"}
    assert names(people["admin"].get("/customers/export", params={"name": mark})) == wanted
    job = people["admin"].post("/exports", json={"list": "customers", "query": {"name": mark}})
    assert job.status_code == 202, job.text
    deadline = time.monotonic() + 60
    while (done := people["admin"].get(f"/exports/{job.json()['id']}").json())["status"] in ("queued", "running"):
        assert time.monotonic() < deadline, done
        time.sleep(0.2)
    assert (done["status"], done["processed"]) == ("done", 2), done
    assert names(people["admin"].get(f"/exports/{job.json()['id']}/file")) == wanted


def test_each_branch_prints_the_company_name_it_is_given_else_its_root_department(people, helpers_for, branches):
    """公司名称 (issue 18's print views): 系统管理 · 分支机构 names each branch's company; without a
    name a branch prints its department tree's first root, as before."""
    admin, sh = people["admin"], people["sh"]

    def printed(api):
        response = api.get("/directory/branches")  # every signed-in user reads it, for the print views
        assert response.status_code == 200, response.text
        return {b["code"]: b["company_name"] for b in response.json()["items"]}

    assert printed(sh) == {"SH": "Head office", "BJ": "北京分公司"}
    assert sh.put("/branches/BJ", json={"company_name": "天马（北京）"}).status_code == 403  # not theirs to name
    named = admin.put("/branches/BJ", json={"company_name": "天马贸易（北京）有限公司"})
    assert named.status_code == 200, named.text
    assert named.json() == {"code": "BJ", "company_name": "天马贸易（北京）有限公司", "printed_name": "天马贸易（北京）有限公司"}
    assert printed(sh) == {"SH": "Head office", "BJ": "天马贸易（北京）有限公司"}
    health = {b["code"]: b for b in admin.get("/branches").json()["items"]}
    assert (health["BJ"]["company_name"], health["SH"]["company_name"], health["SH"]["printed_name"]) == (
        "天马贸易（北京）有限公司", None, "Head office")
    for bad in ("", " 天马", "天" * 201):
        refused = admin.put("/branches/SH", json={"company_name": bad})
        assert refused.status_code == 422 and "company_name" in refused.json()["errors"], refused.text
    assert admin.put("/branches/XX", json={"company_name": "无此分支"}).status_code == 404

    # a branch's own administrator names their branch, not another
    root = admin.get("/me").json()["department"]["id"]
    role = admin.post("/roles", json={"name": f"分支管理员 {uuid.uuid4().hex[:6]}", "data_scope": "branch",
                                      "permissions": ["admin.departments"]}).json()
    assert admin.post("/users", json={"code": "branch_admin", "name": "分支管理员", "department_id": root,
                                      "password": "branch-admin-pw-1", "role_ids": [role["id"]]}).status_code == 201
    local = helpers_for(branches["sh"])("branch_admin", "branch-admin-pw-1")
    assert local.put("/branches/BJ", json={"company_name": "越权"}).status_code == 404
    assert local.put("/branches/SH", json={"company_name": "天马贸易（上海）有限公司"}).status_code == 200
    assert admin.put("/branches/BJ", json={"company_name": None}).json()["printed_name"] == "北京分公司"
    assert printed(sh) == {"SH": "天马贸易（上海）有限公司", "BJ": "北京分公司"}
