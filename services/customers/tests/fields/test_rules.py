"""Typed custom field values (pure)."""
from crm_customers.fields.rules import parse_filter, validate_values

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


def test_a_filter_value_is_one_option_even_of_a_multi_select():
    assert parse_filter("east", DEFS["areas"]) == "east"
    assert parse_filter("12.5", DEFS["staff"]) == 12.5
