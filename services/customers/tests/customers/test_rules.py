"""Pure rules of the customer record: the lead life cycle and the duplicate keys."""
import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_customers.customers.rules import STAGE_ACTIONS, email_key, move, name_key, phone_key


def check_stage_change(status, current, target):
    return move(status, current, STAGE_ACTIONS[target])


def test_lead_stages_move_one_step_and_lost_reopens():
    check_stage_change("lead", "new", "contacted")
    check_stage_change("lead", "lost", "new")
    for status, current, target in (("lead", "new", "proposal"), ("customer", None, "contacted"),
                                    ("lead", "lost", "qualified")):
        with pytest.raises(TransitionNotAllowed):
            check_stage_change(status, current, target)


def test_convert_and_back():
    move("lead", "qualified", "convert")
    with pytest.raises(TransitionNotAllowed):
        move("lead", "lost", "convert")
    with pytest.raises(TransitionNotAllowed):
        move("customer", None, "convert")
    move("customer", None, "back_to_lead")
    with pytest.raises(TransitionNotAllowed):
        move("lead", "new", "back_to_lead")


def test_a_move_says_where_the_record_lands():
    assert move("lead", "qualified", "convert") == ("customer", None)
    assert move("customer", None, "back_to_lead") == ("lead", "new")
    assert move("lead", None, "contact") == ("lead", "contacted")  # a lead without a stage is new
    assert move("lead", "qualified", "contact") == ("lead", "contacted")  # one step back


def test_a_refused_move_names_the_status_and_what_is_allowed():
    with pytest.raises(TransitionNotAllowed) as refused:
        move("lead", "lost", "convert")
    assert refused.value.errors == {"status": ["lost"], "allowed_actions": ["reopen"]}
    with pytest.raises(TransitionNotAllowed) as refused:
        move("inactive", None, "back_to_lead")
    assert refused.value.errors["allowed_actions"] == []


def test_duplicate_keys_ignore_form_and_legal_suffix():
    assert name_key("上海天马贸易有限公司") == name_key(" 上海 天马贸易 公司 ") == name_key("上海天马贸易") == "上海天马贸易"
    assert name_key("ACME Co., Ltd.") == name_key("acme") == "acme"
    assert name_key("ＡＣＭＥ（上海）") == name_key("acme(上海)")
    assert phone_key("+86 138-0013-8000") == phone_key("13800138000") == "13800138000"
    assert phone_key("") is None and email_key(" A@B.cn ") == "a@b.cn"
