"""The call log and work orders through their use cases, with a fake in place of customers."""
import uuid

import pytest

from crm_common.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm_common.statemachine import TransitionNotAllowed
from crm_workspace.calls import queries, use_cases
from crm_workspace.categories import use_cases as categories

CUSTOMER = {"customer_id": str(uuid.uuid4()), "customer_name": "上海天马贸易有限公司",
            "contact_id": str(uuid.uuid4()), "contact_name": "张三"}
PHONE = "13912345678"
DESK = {"calls.read", "calls.write", "categories.write"}


class Customers:
    """Knows one number; remembers what it was asked."""
    def __init__(self):
        self.asked = []

    def __call__(self, phone):
        self.asked.append(phone)
        return CUSTOMER if phone == PHONE else None


@pytest.fixture
def lookup():
    return Customers()


@pytest.fixture
def agent(principal_factory):
    return principal_factory(permissions=DESK, scope="own")


@pytest.fixture
def business(uow, agent):
    return categories.create(uow(), agent, {"kind": "business", "name": "售后"})


def call(uow, who, lookup, phone="+86 139-1234-5678", **extra):
    return use_cases.create_call(uow(), who, {"phone": phone, "summary": "打印机卡纸", **extra}, lookup)


def order(uow, who, category, **extra):
    return use_cases.create_work_order(uow(), who, {"category_id": category["id"], "title": "上门维修",
                                                    "description": "更换定影器", **extra})


def test_a_call_is_matched_to_the_customer_by_its_normalised_number(uow, agent, lookup, business):
    created = call(uow, agent, lookup, category_id=business["id"])
    assert lookup.asked == [PHONE]
    assert created["phone"] == PHONE and created["status"] == "pending" and created["source"] == "phone"
    assert created["customer_name"] == CUSTOMER["customer_name"] and created["contact_name"] == "张三"
    assert queries.get_call(uow(), agent, created["id"])["category_id"] == business["id"]


def test_an_unknown_number_is_logged_unmatched(uow, agent, lookup):
    created = call(uow, agent, lookup, phone="021 5555 0000")
    assert created["customer_id"] is None and created["phone"] == "02155550000"


def test_a_bad_number_or_category_is_refused_before_asking_anyone_or_writing(uow, agent, lookup, principal_factory):
    with pytest.raises(InvalidInput):
        call(uow, agent, lookup, phone="no phone")
    assert lookup.asked == []
    article = categories.create(uow(), agent, {"kind": "article", "name": "手册"})
    with pytest.raises(InvalidInput):
        call(uow, agent, lookup, category_id=article["id"])
    with pytest.raises(InvalidInput):
        call(uow, agent, lookup, status="handled")
    assert queries.list_calls(uow(), agent, {})["items"] == []


def test_handling_moves_a_call_from_pending_once(uow, agent, lookup):
    created = call(uow, agent, lookup)
    handled = use_cases.handle_call(uow(), agent, created["id"], {"result": "已远程指导"})
    assert handled["status"] == "handled" and handled["handled_by"] == agent.user_id
    with pytest.raises(TransitionNotAllowed) as refused:
        use_cases.handle_call(uow(), agent, created["id"], {"result": "again"})
    assert isinstance(refused.value, Conflict)
    assert refused.value.errors == {"status": ["handled"], "allowed_actions": []}
    assert queries.get_call(uow(), agent, created["id"])["result"] == "已远程指导"


def test_the_handling_queue_lists_pending_calls_and_finds_them_by_number(uow, agent, lookup):
    first, second = call(uow, agent, lookup), call(uow, agent, lookup, phone="02155550000")
    use_cases.handle_call(uow(), agent, first["id"], {"result": "ok"})
    assert [c["id"] for c in queries.list_calls(uow(), agent, {"status": "pending"})["items"]] == [second["id"]]
    assert [c["id"] for c in queries.list_calls(uow(), agent, {"phone": "+86 13912345678"})["items"]] == [first["id"]]
    assert [c["id"] for c in queries.list_calls(uow(), agent,
                                                {"customer_id": CUSTOMER["customer_id"]})["items"]] == [first["id"]]


def test_another_agents_call_is_not_found(uow, agent, lookup, principal_factory):
    created = call(uow, agent, lookup)
    other = principal_factory(permissions=DESK, scope="own")
    with pytest.raises(NotFound):
        queries.get_call(uow(), other, created["id"])
    with pytest.raises(NotFound):
        use_cases.handle_call(uow(), other, created["id"], {"result": "mine now"})
    assert queries.get_call(uow(), agent, created["id"])["status"] == "pending"


def test_a_work_order_from_a_call_takes_its_customer_and_source(uow, agent, lookup, business):
    created = call(uow, agent, lookup, source="wechat")
    raised = order(uow, agent, business, call_id=created["id"])
    assert raised["number"].startswith("WO-HQ-") and raised["status"] == "open"
    assert raised["customer_id"] == CUSTOMER["customer_id"] and raised["source"] == "wechat"
    assert order(uow, agent, business)["source"] == "other"


def test_closing_a_work_order_happens_once(uow, agent, business):
    raised = order(uow, agent, business)
    closed = use_cases.close_work_order(uow(), agent, raised["id"], {"resolution": "已更换"})
    assert closed["status"] == "closed" and closed["closed_at"]
    with pytest.raises(TransitionNotAllowed):
        use_cases.close_work_order(uow(), agent, raised["id"], {"resolution": "again"})
    assert queries.get_work_order(uow(), agent, raised["id"])["resolution"] == "已更换"


def test_a_work_order_needs_a_business_category_and_a_visible_call(uow, agent, lookup, business, principal_factory):
    article = categories.create(uow(), agent, {"kind": "article", "name": "手册"})
    with pytest.raises(InvalidInput):
        order(uow, agent, article)
    someone_elses = call(uow, principal_factory(permissions=DESK, scope="own"), lookup)
    with pytest.raises(NotFound):
        order(uow, agent, business, call_id=someone_elses["id"])
    with pytest.raises(InvalidInput):
        order(uow, agent, business, title="")
    assert queries.list_work_orders(uow(), agent, {})["items"] == []


def test_work_orders_filter_by_status_and_category_subtree(uow, agent, business):
    repairs = categories.create(uow(), agent, {"kind": "business", "name": "维修", "parent_id": business["id"]})
    other = categories.create(uow(), agent, {"kind": "business", "name": "咨询"})
    in_sub, in_other = order(uow, agent, repairs), order(uow, agent, other)
    use_cases.close_work_order(uow(), agent, in_other["id"], {"resolution": "ok"})
    by_category = queries.list_work_orders(uow(), agent, {"category_id": business["id"]})["items"]
    assert [o["id"] for o in by_category] == [in_sub["id"]]
    assert [o["id"] for o in queries.list_work_orders(uow(), agent, {"status": "closed"})["items"]] == [in_other["id"]]


def test_statistics_count_calls_and_work_orders_in_scope(uow, agent, lookup, business, principal_factory):
    call(uow, agent, lookup, source="wechat", received_at="2026-03-02T01:00:00+00:00")
    call(uow, agent, lookup, received_at="2026-03-03T01:00:00+00:00")
    call(uow, agent, lookup, received_at="2026-05-01T01:00:00+00:00")
    call(uow, principal_factory(permissions=DESK, scope="own"), lookup, received_at="2026-03-02T01:00:00+00:00")
    stats = queries.statistics(uow(), agent, {"date_from": "2026-03-01", "date_to": "2026-03-31"})
    assert stats["calls_by_source"] == [{"key": "phone", "count": 1}, {"key": "wechat", "count": 1}]
    assert stats["calls_by_status"] == [{"key": "pending", "count": 2}]
    assert stats["work_orders_by_source"] == []


def test_statistics_count_a_call_at_2330_utc_on_the_next_beijing_day(uow, agent, lookup, business):
    call(uow, agent, lookup, received_at="2026-11-30T23:30:00+00:00")  # 1 December, 07:30 in Beijing
    call(uow, agent, lookup, received_at="2026-11-30T15:30:00+00:00")  # 30 November, 23:30 in Beijing
    december = queries.statistics(uow(), agent, {"date_from": "2026-12-01", "date_to": "2026-12-31"})
    november = queries.statistics(uow(), agent, {"date_from": "2026-11-01", "date_to": "2026-11-30"})
    assert december["calls_by_status"] == [{"key": "pending", "count": 1}]
    assert november["calls_by_status"] == [{"key": "pending", "count": 1}]


def test_reading_and_writing_need_their_permissions(uow, lookup, principal_factory):
    reader = principal_factory(permissions={"calls.read"})
    with pytest.raises(Forbidden):
        call(uow, reader, lookup)
    with pytest.raises(Forbidden):
        queries.list_calls(uow(), principal_factory(permissions={"calls.write"}), {})
