"""Pure rules of the call log: phone numbers as people type them, the call and work order life cycles."""
import pytest

from crm_common.errors import InvalidInput
from crm_common.statemachine import TransitionNotAllowed
from crm_workspace.calls.rules import (CALL, CALL_STATUSES, WORK_ORDER, WORK_ORDER_STATUSES, normalise_phone,
                                       normalised_phone)


@pytest.mark.parametrize("raw, expected", [
    ("+86 139-1234-5678", "13912345678"), ("0086 13912345678", "13912345678"),
    ("(021) 5555 0000", "02155550000"), ("139.1234.5678", "13912345678"),
    ("abc", None), ("", None), ("12", None), ("+86", None), ("139x1234", None),
    ("+86 571 8888 6666", "057188886666"), ("0571-88886666 转 8", "057188886666"), ("95338", "95338"),
])
def test_phone_numbers_are_compared_as_digits(raw, expected):
    assert normalise_phone(raw) == expected


def test_the_life_cycles_cover_exactly_the_statuses_the_tables_allow():
    assert CALL.statuses == set(CALL_STATUSES) and WORK_ORDER.statuses == set(WORK_ORDER_STATUSES)


def test_a_handled_call_names_its_status_and_that_nothing_is_left_to_do():
    assert CALL.allowed_actions("pending") == ["handle"]
    with pytest.raises(TransitionNotAllowed) as refused:
        CALL.next_status("handled", "handle")
    assert refused.value.errors == {"status": ["handled"], "allowed_actions": []}
    assert WORK_ORDER.next_status("open", "close") == "closed"
    assert not WORK_ORDER.can("closed", "close")


@pytest.mark.parametrize("raw", ["abc", "", "+86"])
def test_a_number_that_is_none_is_invalid_input_on_its_field(raw):
    with pytest.raises(InvalidInput) as refused:
        normalised_phone(raw, "mobile")
    assert list(refused.value.errors) == ["mobile"]
