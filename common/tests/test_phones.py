"""The shared phone rule: what people type → the comparable form, and what is no number."""
import pytest

from crm_common.phones import comparable, parse


@pytest.mark.parametrize("typed, number, line", [
    ("13800138000", "13800138000", "mobile"),
    ("+86 138-0013-8000", "13800138000", "mobile"),
    ("0086 139 1234 5678", "13912345678", "mobile"),
    ("8613912345678", "13912345678", "mobile"),
    ("137-0000-1234", "13700001234", "mobile"),
    ("0571-88886666", "057188886666", "landline"),
    ("(0571) 8888 6666", "057188886666", "landline"),
    ("+86 571 88886666", "057188886666", "landline"),
    ("021-5555 0000", "02155550000", "landline"),
    ("0574-8765001", "05748765001", "landline"),  # 7-digit local numbers behind 3-digit codes
    ("400-123-4567", "4001234567", "service"),
])
def test_valid_numbers_share_one_form(typed, number, line):
    phone = parse(typed)
    assert (phone.number, phone.line, phone.extension) == (number, line, None)
    assert comparable(typed) == number


def test_an_extension_is_kept_apart_from_the_number():
    for typed in ("021-55550000-123", "021 5555 0000 转 123", "02155550000 ext. 123"):
        phone = parse(typed)
        assert (phone.number, phone.extension, phone.display) == ("02155550000", "123", "02155550000-123")
    assert parse("13800138000 转 5") is None  # a mobile has no extension


@pytest.mark.parametrize("typed", [
    "88886666",  # a landline without its area code
    "12345678901",  # 11 digits but no mobile prefix (1[3-9])
    "1380013800",  # a digit short
    "138001380001",  # a digit too many
    "021-1234567",  # 2-digit area codes have 8-digit local numbers
    "0571-08886666",  # local numbers never start with 0
    "95338", "not a phone", "",
])
def test_what_is_no_chinese_number(typed):
    assert parse(typed) is None


def test_other_digits_still_compare_as_digits():
    assert comparable("95338") == "95338" and comparable("9-5338") == "95338"
    assert comparable("not a phone") is None and comparable(None) is None and comparable("12") is None
