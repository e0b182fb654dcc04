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


# --- Chinese identifiers -------------------------------------------------------------------------
from datetime import date  # noqa: E402

from crm_customers.customers import rules  # noqa: E402

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize("typed, canonical", [
    ("91110000600037341L", "91110000600037341L"),
    ("9133 0106 MA27XL0X1K", "91330106MA27XL0X1K"),  # spaces dropped, letters in the body
    ("91440300708461136t", "91440300708461136T"),  # lower case accepted
])
def test_credit_codes_with_a_matching_check_character(typed, canonical):
    assert rules.credit_code(typed) == canonical


@pytest.mark.parametrize("typed, reason", [
    ("91110000600037341M", "check character"),  # real-looking, only the check character wrong
    ("91330106MA27XL0X1A", "check character"),
    ("91440300708461137T", "check character"),  # one body digit mistyped
    ("9111000060003734", "18 digits"),
    ("91110000600037341O", "18 digits"),  # O is not in the alphabet
    ("A1110000600037341L", "18 digits"),  # the first 8 are digits
])
def test_credit_codes_refused(typed, reason):
    with pytest.raises(ValueError, match=reason):
        rules.credit_code(typed)


def test_organization_codes_and_their_place_inside_the_credit_code():
    assert rules.organization_code("60003734-1") == rules.organization_code("600037341") == "60003734-1"
    assert rules.organization_code("ma27xl0x-4") == "MA27XL0X-4"
    with pytest.raises(ValueError, match="check character"):
        rules.organization_code("60003734-2")
    with pytest.raises(ValueError, match="8 digits"):
        rules.organization_code("6000373-1")
    assert rules.organization_code_matches("91110000600037341L", "60003734-1")
    assert not rules.organization_code_matches("91330106MA27XL0X1K", "60003734-1")


@pytest.mark.parametrize("typed, born", [
    ("11010519491231002X", date(1949, 12, 31)),
    ("330106199003074525", date(1990, 3, 7)),
    ("110101199003071233", date(1990, 3, 7)),
])
def test_resident_ids_give_the_birth_date(typed, born):
    assert rules.resident_id(typed.lower(), TODAY) == (typed, born)


@pytest.mark.parametrize("typed, reason", [
    ("110105194912310021", "check digit"),  # real-looking, only the check digit wrong
    ("330106199003074526", "check digit"),
    ("110105194902300020", "birth date"),  # check digit right, 30 February
    ("999999198001010011", "area"),  # check digit right, no such area
    ("440306209912310014", "future"),  # check digit right, born in 2099
    ("11010519491231002", "17 digits"),
    ("1101051949123100XX", "17 digits"),
])
def test_resident_ids_refused(typed, reason):
    with pytest.raises(ValueError, match=reason):
        rules.resident_id(typed, TODAY)


def test_masked_ids_show_the_area_and_the_last_four():
    assert rules.masked_id("110101199003071233") == "110101********1233"
    assert rules.masked_id(None) is None


def test_phones_are_refused_unless_chinese_numbers_with_area_codes():
    assert rules.phone("+86 138-0013-8000").number == "13800138000"
    assert rules.phone("0571-88886666").line == "landline"
    with pytest.raises(ValueError, match="area code"):
        rules.phone("88886666")


def test_identifiers_fit_the_kind_and_each_other():
    assert rules.identity_errors("company", {"credit_code": "91110000600037341L",
                                             "organization_code": "60003734-1"}) == {}
    assert list(rules.identity_errors("company", {"credit_code": "91110000600037341L",
                                                  "organization_code": "MA27XL0X-4"})) == ["organization_code"]
    assert list(rules.identity_errors("company", {"id_number": "110101199003071233"})) == ["id_number"]
    assert sorted(rules.identity_errors("individual", {"credit_code": "91110000600037341L",
                                                       "legal_representative": "张三"})) == [
        "credit_code", "legal_representative"]
    assert rules.identity_errors("individual", {"id_number": "110101199003071233"}) == {}
    assert rules.birth_date("110101199003071233") == date(1990, 3, 7)
