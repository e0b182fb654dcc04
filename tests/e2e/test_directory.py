"""The directory every signed-in user reads (ADM-16, issue 12): colleagues and departments of the
caller's branch, searchable by code, name and pinyin, and /me's complete permissions and scopes."""
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def colleagues(admin, org):
    """张三 and 王小明 in Sales East, 曾单 (two readings per character) in Sales West, and 张三丰 in a
    department of another branch, which nobody of this branch may see in the directory."""
    tag = uuid.uuid4().hex[:6]
    east, west = org["departments"]["Sales East"], org["departments"]["Sales West"]
    other = admin.post("/departments", json={"name": f"北京分公司 {tag}", "branch": "BJ"}).json()
    people = {}
    for key, name, department, position in (("zs", "张三", east, "销售代表"), ("wxm", "王小明", east, None),
                                            ("zd", "曾单", west, "销售经理"), ("zsf", "张三丰", other, None)):
        response = admin.post("/users", json={"code": f"{key}{tag}", "name": name, "department_id": department["id"],
                                              "password": f"{key}-directory-password", "position": position})
        assert response.status_code == 201, response.text
        people[key] = response.json()
    return {"tag": tag, "people": people, "other": other}


def _found(api, **params) -> list[str]:
    response = api.get("/directory/users", params={"limit": 200, **params})
    assert response.status_code == 200, response.text
    return [user["name"] for user in response.json()["items"]]


def test_a_rep_without_admin_permissions_reads_the_directory(rep_b, colleagues, org):
    response = rep_b.get("/directory/users", params={"q": f"zs{colleagues['tag']}"})
    assert response.status_code == 200, response.text
    [zhang] = response.json()["items"]
    assert zhang == {"id": colleagues["people"]["zs"]["id"], "code": f"zs{colleagues['tag']}", "name": "张三",
                     "department": {"id": org["departments"]["Sales East"]["id"], "name": "Sales East"},
                     "position": "销售代表", "active": True}
    assert rep_b.get("/users").status_code == 403  # the admin list stays for admins


@pytest.mark.parametrize("q, names", [
    ("zs", {"张三", "曾单"}), ("ZhangSan", {"张三"}), ("zhang", {"张三"}), ("张", {"张三"}), ("三", {"张三"}),
    ("wxm", {"王小明"}), ("xiaoming", {"王小明"}), ("xm", {"王小明"}), ("小明", {"王小明"}),
    # 曾单 reads zeng/ceng dan/shan/chan: each reading finds it, so "zs" finds it beside 张三
    ("zengdan", {"曾单"}), ("cengshan", {"曾单"}), ("zd", {"曾单"}), ("cs", {"曾单"}),
])
def test_search_by_name_pinyin_and_initials(rep_a, colleagues, q, names):
    assert set(_found(rep_a, q=q)) & {"张三", "王小明", "曾单", "张三丰"} == names


def test_search_by_code_and_filters(rep_a, colleagues, org):
    tag = colleagues["tag"]
    assert _found(rep_a, q=f"WXM{tag}") == ["王小明"]
    # no wildcard reaches SQL: "%" matches nobody, "_" only the names that really contain one
    assert _found(rep_a, q="%") == []
    underscored = _found(rep_a, q="_")
    assert all("_" in name for name in underscored) and "王小明" not in underscored
    east = _found(rep_a, department_id=org["departments"]["Sales East"]["id"])
    assert {"张三", "王小明"} <= set(east) and "曾单" not in east


def test_active_filter_and_renaming_keeps_the_keys(admin, rep_a, colleagues):
    zd = colleagues["people"]["zd"]
    assert admin.patch(f"/users/{zd['id']}", json={"name": "李四", "active": False}).status_code == 200
    assert "李四" in _found(rep_a, q="ls", active="false")
    assert "李四" not in _found(rep_a, q="ls", active="true")
    assert _found(rep_a, q="zengdan") == []  # the old name's keys went with it
    assert admin.patch(f"/users/{zd['id']}", json={"name": "曾单", "active": True}).status_code == 200


def test_other_branches_are_not_in_the_directory(rep_a, colleagues):
    assert "张三丰" not in _found(rep_a, q="zsf") + _found(rep_a, q="张三")
    departments = rep_a.get("/directory/departments").json()["items"]
    assert colleagues["other"]["id"] not in {d["id"] for d in departments}


def test_departments_are_the_flat_tree_in_path_order(rep_b, org):
    response = rep_b.get("/directory/departments")
    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert [d["path"] for d in items] == sorted(d["path"] for d in items)
    east = next(d for d in items if d["id"] == org["departments"]["Sales East"]["id"])
    assert set(east) == {"id", "name", "parent_id", "path"}
    parent = next(d for d in items if d["id"] == east["parent_id"])
    assert east["path"].startswith(parent["path"]) and items.index(parent) < items.index(east)


def test_paging_and_bad_queries(rep_a, colleagues):
    first = rep_a.get("/directory/users", params={"limit": 1, "sort": "name"}).json()
    second = rep_a.get("/directory/users", params={"limit": 1, "sort": "name", "cursor": first["next_cursor"]}).json()
    assert first["next_cursor"] and first["items"][0]["id"] != second["items"][0]["id"]
    for params in ({"q": " "}, {"q": "x" * 51}, {"sort": "password_hash"}, {"active": "maybe"},
                   {"department_id": "not-a-uuid"}, {"cursor": "forged"}, {"role": "admin"}):
        response = rep_a.get("/directory/users", params=params)
        assert response.status_code == 400, (params, response.text)
        assert response.headers["Content-Type"].startswith("application/problem+json")


def test_a_search_is_an_index_range_scan(stack, colleagues):
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{stack.db_prefix}gateway") as conn:
        conn.execute("SET enable_seqscan = off")  # a tiny table: otherwise a scan is cheaper and proves nothing
        plan = "\n".join(row[0] for row in conn.execute(
            "EXPLAIN SELECT user_id FROM user_search_keys WHERE key LIKE %s", ("zs%",)))
    assert "ix_user_search_keys_key" in plan and "Index Cond" in plan, plan


def test_me_names_a_scope_for_every_permission(rep_a, org):
    me = rep_a.get("/me").json()
    assert me["permissions"] == sorted(org["roles"]["rep"]["permissions"])
    assert me["data_scopes"] == {permission: "own" for permission in me["permissions"]}


def test_saved_filters_are_each_users_own(rep_a, rep_b, helpers):
    name = f"华东制造业 {uuid.uuid4().hex[:6]}"
    body = {"list": "customers", "name": name, "query": {"industry": "manufacturing", "province": "上海", "sort": "-created_at"}}
    created = rep_a.post("/saved-filters", json=body)
    assert created.status_code == 201, created.text
    saved = created.json()
    assert {k: saved[k] for k in ("list", "name", "query")} == body
    assert saved["id"] in {f["id"] for f in rep_a.get("/saved-filters", params={"list": "customers"}).json()["items"]}
    assert saved["id"] not in {f["id"] for f in rep_a.get("/saved-filters", params={"list": "orders"}).json()["items"]}
    assert saved["id"] not in {f["id"] for f in rep_b.get("/saved-filters").json()["items"]}
    assert rep_a.post("/saved-filters", json=body).status_code == 409  # one name per list
    assert rep_b.post("/saved-filters", json=body).status_code == 201  # another user's names are theirs

    before = helpers.table_counts()
    for bad in ({**body, "name": ""}, {**body, "list": "客户"}, {**body, "query": {"industry": 3}},
                {**body, "query": {f"k{i}": "v" for i in range(51)}}, {**body, "user_id": str(uuid.uuid4())},
                {"list": "customers", "name": "x"}):
        response = rep_a.post("/saved-filters", json=bad)
        assert response.status_code == 422, (bad, response.text)
    assert helpers.table_counts() == before
    assert rep_b.delete(f"/saved-filters/{saved['id']}").status_code == 404  # not rep_b's
    assert rep_a.delete(f"/saved-filters/{saved['id']}").status_code == 204
    assert rep_a.delete(f"/saved-filters/{saved['id']}").status_code == 404
    assert rep_a.delete("/saved-filters/not-an-id").status_code == 404


def test_renames_at_once_all_succeed_and_keep_one_set_of_keys(admin, colleagues, rep_a):
    """Each rename rewrites the user's search keys: side by side they must not collide."""
    wxm = colleagues["people"]["wxm"]
    names = ["王大明"] * 4  # every one of them adds the same new keys
    with ThreadPoolExecutor(len(names)) as pool:
        answers = list(pool.map(lambda name: admin.patch(f"/users/{wxm['id']}", json={"name": name}), names))
    assert [a.status_code for a in answers] == [200] * len(names), [a.text for a in answers]
    assert _found(rep_a, q=f"wxm{colleagues['tag']}") == ["王大明"] and "王大明" in _found(rep_a, q="wangdaming")
    assert admin.patch(f"/users/{wxm['id']}", json={"name": "王小明"}).status_code == 200
