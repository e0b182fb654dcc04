"""The customer list's statement built once per shape, its rows read as columns (queries.list_),
gives the answer the statement built for the call and its ORM entities give
(queries.list_entities): every filter kind, both halves of a rep's scope (own customers and a
team membership), stars, a cursor, every column sort, the other scopes, the ID number revealed."""
import json

import pytest

from crm_customers.customers import queries, use_cases as customers
from crm_customers.fields import use_cases as fields
from crm_customers.groups import use_cases as groups
from crm_customers.team import use_cases as team

LEVEL = {"entity": "customer", "key": "level", "label": "等级", "type": "select", "options": ["gold", "silver"]}
AREAS = {"entity": "customer", "key": "areas", "label": "区域", "type": "multi_select", "options": ["east", "west"]}


@pytest.fixture
def loaded(uow, rep, other_rep, admin, principal_factory, new_customer, user_of):
    fields.create(uow(), admin, LEVEL)
    fields.create(uow(), admin, AREAS)
    keeper = principal_factory(permissions={"customers.read", "admin.dictionaries"}, scope="all")
    east = groups.create(uow(), keeper, {"name": "华东"})
    hz = groups.create(uow(), keeper, {"name": "杭州", "parent_id": east["id"]})
    made = [
        new_customer("上海天马贸易有限公司", kind="company", industry="制造", source="展会", value_level="A",
                     province="浙江", city="杭州", tags=["vip", "老客户"], phone="13800138000",
                     phones=[{"kind": "office", "number": "0571-88886666"}], group_id=hz["id"],
                     custom={"level": "gold", "areas": ["east"]}, email="a@example.com"),
        new_customer("天马_100%", kind="individual", id_number="110101199003071233", group_id=east["id"],
                     custom={"level": "silver", "areas": ["east", "west"]}, tags=["vip"]),
        new_customer("北京星河科技有限公司", industry="制造", city="北京", phone="13900139000"),
        new_customer("马"),
    ]
    made += [customers.create_lead(uow(), rep, {"name": f"线索{n}"}) for n in range(3)]
    theirs = new_customer("杭州天马外贸有限公司", who=other_rep, industry="制造", tags=["vip"],
                          custom={"level": "gold", "areas": ["west"]})
    team.put_member(uow(), other_rep, theirs["id"], {"user": user_of(rep), "access": "read_only"})
    customers.set_star(uow(), rep, made[0]["id"], True)
    customers.set_star(uow(), rep, theirs["id"], True)
    return {"hz": hz, "east": east, "rep_id": rep.user_id}


QUERIES = [
    {}, {"sort": "name"}, {"sort": "-name"}, {"sort": "code"}, {"sort": "created_at"}, {"sort": "-updated_at"},
    {"name": "天马"}, {"name": "马"}, {"name": "_100%"}, {"kind": "individual"}, {"industry": "制造"},
    {"source": "展会"}, {"value_level": "A"}, {"status": "lead"}, {"stage": "new"}, {"code": "nope"},
    {"province": "浙江"}, {"city": "杭州"}, {"province": "浙江", "city": "杭州"}, {"group": "华东"},
    {"group": "华东/杭州"}, {"phone": "138 0013 8000"}, {"phone": "0571-88886666"}, {"tag": "vip"},
    {"cf.level": "gold"}, {"cf.areas": "west"}, {"cf.level": "gold", "cf.areas": "east"},
    {"starred": "true"}, {"starred": "false"}, {"limit": "2"}, {"limit": "2", "sort": "name"},
    {"name": "天马", "industry": "制造", "tag": "vip", "cf.level": "gold", "starred": "true", "sort": "-name"},
]


def _same(uow, who, query):
    plain, custom = queries.split_custom(query)
    fast = queries.list_(uow(), who, query)
    slow = queries.list_entities(uow(), who, queries.load_query(queries.CustomerListQuery(), plain), custom)
    assert json.dumps(fast, ensure_ascii=False, default=str) == json.dumps(slow, ensure_ascii=False, default=str), \
        query
    return fast


def test_every_filter_kind_answers_the_same_as_the_entities(uow, rep, admin, principal_factory, loaded):
    seen = set()
    for query in QUERIES:
        for who in (rep, admin):
            seen.update(item["id"] for item in _same(uow, who, query)["items"])
    assert len(seen) == 8  # every customer was in some page: none of the comparisons is of two empty pages
    assert len(_same(uow, rep, {})["items"]) == 8  # the rep's 7 and the one they are a team member of
    sensitive = principal_factory(permissions=rep.permissions | {"customers.view_sensitive"}, scope="branch")
    items = _same(uow, sensitive, {"kind": "individual"})["items"]
    assert items[0]["id_number"] == "110101199003071233"
    for scope in ("department", "subtree", "branch"):
        _same(uow, principal_factory(permissions=rep.permissions, scope=scope), {"sort": "name"})


def test_the_pages_of_a_cursor_answer_the_same(uow, rep, loaded):
    for sort in ("name", "-created_at", "code"):
        query = {"limit": "3", "sort": sort}
        pages = 0
        while True:
            page = _same(uow, rep, query)
            pages += 1
            if not page["next_cursor"]:
                break
            query = {**query, "cursor": page["next_cursor"]}
        assert pages == 3
