"""Pure rules of the customers service: lifecycle, duplicate keys, custom fields, complaints, CSV rows."""
import pytest

from crm_customers.complaint_rules import ComplaintTransitionError, next_status
from crm_customers.custom_field_rules import validate_values
from crm_customers.dedup_rules import email_key, name_key, phone_key
from crm_customers.import_rows import parse, read_chunk
from crm_customers.lifecycle_rules import TransitionError, check_back_to_lead, check_convert, check_stage_change


def test_lead_stages_move_one_step_and_lost_reopens():
    check_stage_change("lead", "new", "contacted")
    check_stage_change("lead", "lost", "new")
    for status, current, target in (("lead", "new", "proposal"), ("customer", None, "contacted"),
                                    ("lead", "lost", "qualified")):
        with pytest.raises(TransitionError):
            check_stage_change(status, current, target)


def test_convert_and_back():
    check_convert("lead", "qualified")
    with pytest.raises(TransitionError):
        check_convert("lead", "lost")
    with pytest.raises(TransitionError):
        check_convert("customer", None)
    check_back_to_lead("customer")
    with pytest.raises(TransitionError):
        check_back_to_lead("lead")


def test_duplicate_keys_ignore_form_and_legal_suffix():
    assert name_key("上海天马贸易有限公司") == name_key(" 上海 天马贸易 公司 ") == name_key("上海天马贸易") == "上海天马贸易"
    assert name_key("ACME Co., Ltd.") == name_key("acme") == "acme"
    assert name_key("ＡＣＭＥ（上海）") == name_key("acme(上海)")
    assert phone_key("+86 138-0013-8000") == phone_key("13800138000") == "13800138000"
    assert phone_key("") is None and email_key(" A@B.cn ") == "a@b.cn"


DEFS = {"staff": {"type": "number", "options": [], "required": False},
        "since": {"type": "date", "options": [], "required": True},
        "tier": {"type": "select", "options": ["gold", "silver"], "required": False},
        "areas": {"type": "multi_select", "options": ["east", "west"], "required": False}}


def test_custom_values_are_typed_and_checked():
    clean, errors = validate_values({"staff": "12", "since": "2020-01-31", "tier": "gold", "areas": ["west"]},
                                    DEFS, partial=False)
    assert errors == {} and clean == {"staff": 12, "since": "2020-01-31", "tier": "gold", "areas": ["west"]}
    _, errors = validate_values({"staff": "many", "tier": "bronze", "areas": "east", "nope": 1, "since": "31/01"},
                                DEFS, partial=False)
    assert set(errors) == {"staff", "tier", "areas", "nope", "since"}
    _, errors = validate_values({"staff": True, "since": "2020-01-01"}, DEFS, partial=False)
    assert set(errors) == {"staff"}
    assert validate_values({}, DEFS, partial=False)[1] == {"since": ["This field is required."]}
    assert validate_values({}, DEFS, partial=True)[1] == {}
    assert "staff" in validate_values({"staff": "NaN", "since": "2020-01-01"}, DEFS, partial=False)[1]


def test_complaint_workflow():
    assert next_status("open", "assign") == "assigned"
    assert next_status("resolved", "close") == "closed"
    with pytest.raises(ComplaintTransitionError):
        next_status("open", "close")


def test_csv_rows_report_per_row():
    body = 'name,tags,cf.areas\n"天马, 上海",a|b,east|west\n,,\nx,y,z,extra\n'
    rows = list(read_chunk(body, 7))
    assert [number for number, _ in rows] == [7, 8, 9]
    data, errors = parse(rows[0][1], DEFS | {"since": {**DEFS["since"], "required": False}})
    assert errors == {} and data["name"] == "天马, 上海" and data["tags"] == ["a", "b"]
    assert data["custom"] == {"areas": ["east", "west"]}
    assert "name" in parse(rows[1][1], {})[1]
    assert parse(rows[2][1], {})[1] == {"_row": ["More cells than columns."]}
