"""Customer records and leads through their use cases on the customers database alone."""
import pytest

from crm_common.errors import BadRequest, Conflict, Forbidden, InvalidInput, NotFound
from crm_common.statemachine import TransitionNotAllowed
from crm_customers.customers import queries, use_cases
from crm_customers.pool.use_cases import jobs


def test_a_new_customer_gets_a_branch_number_its_keys_and_a_history_row(uow, rep, customer):
    assert customer["code"].startswith("C-HQ-") and customer["status"] == "customer"
    assert customer["owner_id"] == rep.user_id and customer["in_pool"] is False
    history = queries.history(uow(), rep, customer["id"], {})["items"]
    assert [row["kind"] for row in history] == ["created"]


def test_fields_the_server_owns_are_invalid_input_and_nothing_is_written(uow, rep):
    for body in ({"name": "天马", "owner_id": rep.user_id}, {"name": "天马", "status": "lead"}, {"name": ""},
                 {"name": "天马", "email": "not-an-email"}, ["not", "an", "object"]):
        with pytest.raises(InvalidInput):
            use_cases.create(uow(), rep, body)
    assert queries.list_(uow(), rep, {})["items"] == []


def test_creating_needs_the_write_permission(uow, principal_factory):
    reader = principal_factory(permissions={"customers.read"})
    with pytest.raises(Forbidden):
        use_cases.create(uow(), reader, {"name": "天马"})


def test_a_likely_duplicate_is_refused_until_confirmed(uow, rep, customer):
    with pytest.raises(Conflict) as refused:
        use_cases.create(uow(), rep, {"name": "上海天马贸易 公司"})
    found = refused.value.errors["duplicates"][0]
    assert found["candidates"] == [{"id": customer["id"], "code": customer["code"], "name": customer["name"]}]
    again = use_cases.create(uow(), rep, {"name": "上海天马贸易 公司", "confirm_duplicate": True})
    assert again["id"] != customer["id"]


def test_a_duplicate_outside_the_scope_is_only_counted(uow, other_rep, customer):
    with pytest.raises(Conflict) as refused:
        use_cases.create(uow(), other_rep, {"name": customer["name"]})
    assert refused.value.errors["duplicates"] == [{"candidates": [], "other_matches": 1}]


def test_an_update_records_which_fields_changed(uow, rep, customer):
    updated = use_cases.update(uow(), rep, customer["id"], {"industry": "贸易", "name": customer["name"]})
    assert updated["industry"] == "贸易"
    use_cases.update(uow(), rep, customer["id"], {"industry": "贸易"})  # no change, no row
    kinds = [(row["kind"], row["data"].get("fields")) for row in queries.history(uow(), rep, customer["id"], {})["items"]]
    assert kinds == [("updated", ["industry"]), ("created", None)]


def test_another_reps_customer_is_not_found(uow, other_rep, customer):
    with pytest.raises(NotFound):
        use_cases.update(uow(), other_rep, customer["id"], {"industry": "x"})
    with pytest.raises(NotFound):
        queries.history(uow(), other_rep, customer["id"], {})
    with pytest.raises(NotFound):
        use_cases.update(uow(), other_rep, "not-a-uuid", {"industry": "x"})


def test_a_customer_one_may_read_but_not_change_is_forbidden(uow, principal_factory, customer, rep):
    reader = principal_factory(permissions=rep.permissions, scope="all", scopes={"customers.write": "own"})
    with pytest.raises(Forbidden):
        use_cases.update(uow(), reader, customer["id"], {"industry": "x"})


def test_lists_filter_and_sort_from_an_allow_list(uow, rep, new_customer):
    new_customer("北京乙公司", tags=["vip"], city="北京")
    new_customer("上海甲公司", city="上海")
    names = [c["name"] for c in queries.list_(uow(), rep, {"sort": "name"})["items"]]
    assert names == sorted(names) and len(names) == 2
    assert [c["name"] for c in queries.list_(uow(), rep, {"tag": "vip"})["items"]] == ["北京乙公司"]
    assert [c["name"] for c in queries.list_(uow(), rep, {"name": "甲"})["items"]] == ["上海甲公司"]
    for bad in ({"sort": "owner_id"}, {"cf.nope": "1"}, {"sort": "cf.nope"}, {"limit": "0"}, {"status": "gone"}):
        with pytest.raises(BadRequest):
            queries.list_(uow(), rep, bad)


def test_a_list_pages_with_a_cursor(uow, rep, new_customer):
    for n in range(3):
        new_customer(f"客户{n}")
    first = queries.list_(uow(), rep, {"limit": "2"})
    second = queries.list_(uow(), rep, {"limit": "2", "cursor": first["next_cursor"]})
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["next_cursor"] is None
    assert {c["id"] for c in first["items"]}.isdisjoint(c["id"] for c in second["items"])


def test_a_lead_moves_through_its_stages_and_converts(uow, rep):
    lead = use_cases.create_lead(uow(), rep, {"name": "线索甲"})
    assert (lead["status"], lead["stage"]) == ("lead", "new")
    lead = use_cases.change_stage(uow(), rep, lead["id"], {"stage": "contacted"})
    assert lead["stage"] == "contacted"
    converted = use_cases.convert(uow(), rep, lead["id"], {})
    assert (converted["status"], converted["stage"]) == ("customer", None)
    back = use_cases.back_to_lead(uow(), rep, lead["id"], {})
    assert (back["status"], back["stage"]) == ("lead", "new")
    kinds = [row["kind"] for row in queries.history(uow(), rep, lead["id"], {})["items"]]
    assert kinds == ["back_to_lead", "converted", "stage_changed", "created"]


def test_skipping_a_stage_is_refused_naming_what_is_allowed_and_nothing_changes(uow, rep):
    lead = use_cases.create_lead(uow(), rep, {"name": "线索乙"})
    with pytest.raises(TransitionNotAllowed) as refused:
        use_cases.change_stage(uow(), rep, lead["id"], {"stage": "proposal"})
    assert refused.value.status == 409
    assert refused.value.errors == {"status": ["new"], "allowed_actions": ["contact", "lose", "convert"]}
    assert [row["kind"] for row in queries.history(uow(), rep, lead["id"], {})["items"]] == ["created"]


def test_a_lost_lead_is_reopened_before_it_converts(uow, rep):
    lead = use_cases.create_lead(uow(), rep, {"name": "线索丙"})
    use_cases.change_stage(uow(), rep, lead["id"], {"stage": "lost"})
    with pytest.raises(Conflict):
        use_cases.convert(uow(), rep, lead["id"], {})
    assert use_cases.change_stage(uow(), rep, lead["id"], {"stage": "new"})["stage"] == "new"
    assert use_cases.convert(uow(), rep, lead["id"], {})["status"] == "customer"


def test_a_customer_has_no_stages_and_is_not_converted(uow, rep, customer):
    with pytest.raises(Conflict):
        use_cases.change_stage(uow(), rep, customer["id"], {"stage": "contacted"})
    with pytest.raises(Conflict):
        use_cases.convert(uow(), rep, customer["id"], {})


def test_life_cycle_actions_check_their_body(uow, rep, customer):
    with pytest.raises(InvalidInput):
        use_cases.change_stage(uow(), rep, customer["id"], {"stage": "won"})
    with pytest.raises(InvalidInput):
        use_cases.convert(uow(), rep, customer["id"], {"status": "customer"})


def test_history_pages_by_id_and_refuses_a_forged_cursor(uow, rep, customer):
    for n in range(3):
        use_cases.update(uow(), rep, customer["id"], {"industry": f"行业{n}"})
    first = queries.history(uow(), rep, customer["id"], {"limit": "2"})
    rest = queries.history(uow(), rep, customer["id"], {"limit": "2", "cursor": first["next_cursor"]})
    assert len(first["items"]) + len(rest["items"]) == 4 and rest["next_cursor"] is None
    with pytest.raises(BadRequest):
        queries.history(uow(), rep, customer["id"], {"cursor": "abc"})


def test_a_level_change_recomputes_when_the_customer_falls_back_to_the_pool(uow, rep, admin, customer):
    jobs.update_settings(uow(), admin, {"rules": [{"value_level": "A", "days_without_followup": 30}]})
    assert queries.list_(uow(), rep, {})["items"][0]["recycle_due_at"] is None
    updated = use_cases.update(uow(), rep, customer["id"], {"value_level": "A"})
    assert updated["recycle_due_at"] is not None


def test_a_bad_update_is_invalid_and_changes_nothing(uow, rep, customer):
    for body in ({"owner_id": rep.user_id}, {"name": ""}, {"group_id": "00000000-0000-0000-0000-000000000000"}, {"tags": ["x" * 51]}):
        with pytest.raises(InvalidInput):
            use_cases.update(uow(), rep, customer["id"], body)
    [after] = queries.list_(uow(), rep, {})["items"]
    assert after["updated_at"] == customer["updated_at"] and after["name"] == customer["name"]
    assert [row["kind"] for row in queries.history(uow(), rep, customer["id"], {})["items"]] == ["created"]


def test_a_phone_filter_normalises(uow, rep, new_customer):
    new_customer("甲", phone="+86 138 0013 8000")
    new_customer("乙")
    assert [c["name"] for c in queries.list_(uow(), rep, {"phone": "13800138000"})["items"]] == ["甲"]


def test_a_star_is_the_callers_own_and_filters_their_list(uow, rep, other_rep, admin, new_customer):
    starred, plain = new_customer("关注的客户"), new_customer("没关注的客户")
    assert use_cases.set_star(uow(), rep, starred["id"], True) == {"id": starred["id"], "starred": True}
    use_cases.set_star(uow(), rep, starred["id"], True)  # twice is one star
    assert [(c["id"], c["starred"]) for c in queries.list_(uow(), rep, {"starred": "true"})["items"]] == [
        (starred["id"], True)]
    assert [c["id"] for c in queries.list_(uow(), rep, {"starred": "false"})["items"]] == [plain["id"]]
    assert all(not c["starred"] for c in queries.list_(uow(), admin, {})["items"])  # personal
    with pytest.raises(NotFound):  # out of scope: as if it did not exist
        use_cases.set_star(uow(), other_rep, starred["id"], True)
    use_cases.set_star(uow(), rep, starred["id"], False)
    assert queries.list_(uow(), rep, {"starred": "true"})["items"] == []


PICKS = {"industry": {"manufacturing": "制造业 Manufacturing", "it": "信息技术 IT"},
         "customer_source": {"referral": "转介绍 Referral"}, "value_level": {"a": "A 重点客户 Key"}}


def test_pick_list_fields_take_only_active_dictionary_codes(uow, rep):
    """ADM-06: industry, source and value level are dictionary codes; anything else is a 422 that
    names the field and the allowed codes, on create, lead and update alike, and changes nothing."""
    with pytest.raises(InvalidInput) as refused:
        use_cases.create(uow(), rep, {"name": "甲公司", "industry": "制造", "source": "referral",
                                      "value_level": "A"}, PICKS)
    assert sorted(refused.value.errors) == ["industry", "value_level"]
    assert "manufacturing (制造业 Manufacturing), it (信息技术 IT)" in refused.value.errors["industry"][0]
    with pytest.raises(InvalidInput):
        use_cases.create_lead(uow(), rep, {"name": "乙公司", "source": "展会"}, PICKS)
    made = use_cases.create(uow(), rep, {"name": "甲公司", "industry": "it", "value_level": "a"}, PICKS)
    with pytest.raises(InvalidInput) as refused:
        use_cases.update(uow(), rep, made["id"], {"industry": "IT"}, PICKS)
    assert list(refused.value.errors) == ["industry"]
    assert [c["industry"] for c in queries.list_(uow(), rep, {})["items"]] == ["it"]
    assert use_cases.update(uow(), rep, made["id"], {"industry": "manufacturing", "source": None},
                            PICKS)["industry"] == "manufacturing"


def test_a_place_is_region_codes_whichever_way_it_was_typed(uow, rep):
    """北京 and 北京市 are one province: stored as region codes, answered with the table's names,
    filtered by code; a place outside the table is a 422 and changes nothing."""
    one = use_cases.create(uow(), rep, {"name": "甲公司", "province": "北京", "city": "北京"})
    other = use_cases.create(uow(), rep, {"name": "乙公司", "province": "北京市", "district": "110105"})
    assert (one["province_code"], one["city_code"], one["province"], one["city"]) == ("110000", "110100", "北京市",
                                                                                      "北京市")
    assert (other["province_code"], other["city_code"], other["district_code"], other["district"]) == (
        "110000", "110100", "110105", "朝阳区")
    hangzhou = use_cases.create(uow(), rep, {"name": "丙公司", "city": "杭州"})  # the city names its province
    assert (hangzhou["province"], hangzhou["province_code"], hangzhou["city_code"]) == ("浙江省", "330000", "330100")
    for typed in ({"province": "浙江", "city": "南京"}, {"province": "火星"}, {"district": "朝阳区"}):
        with pytest.raises(InvalidInput) as refused:
            use_cases.create(uow(), rep, {"name": "丁公司", **typed})
        assert set(refused.value.errors) <= {"province", "city", "district"}
    for province in ("北京", "北京市", "110000"):
        found = queries.list_(uow(), rep, {"province": province, "sort": "name"})["items"]
        assert [c["name"] for c in found] == ["乙公司", "甲公司"]
    with pytest.raises(BadRequest):
        queries.list_(uow(), rep, {"province": "火星"})
    moved = use_cases.update(uow(), rep, hangzhou["id"], {"city": "宁波市"})  # same province, new city
    assert (moved["province_code"], moved["city_code"], moved["city"]) == ("330000", "330200", "宁波市")
    with pytest.raises(InvalidInput):
        use_cases.update(uow(), rep, hangzhou["id"], {"city": "南京"})
