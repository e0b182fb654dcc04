"""Pure rules of the call log: phone numbers as people type them."""
import pytest

from crm_workspace.calls.rules import normalise_phone


@pytest.mark.parametrize("raw, expected", [
    ("+86 139-1234-5678", "13912345678"), ("0086 13912345678", "13912345678"),
    ("(021) 5555 0000", "02155550000"), ("139.1234.5678", "13912345678"),
    ("abc", None), ("", None), ("12", None), ("+86", None), ("139x1234", None),
])
def test_phone_numbers_are_compared_as_digits(raw, expected):
    assert normalise_phone(raw) == expected
