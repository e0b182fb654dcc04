"""Phone numbers as typed by people → one comparable form (digits, no +86 country code)."""
import re

_SEPARATORS = re.compile(r"[\s\-().]")
_DIGITS = re.compile(r"^\d{3,20}$")


def normalise(raw: str) -> str | None:
    """"+86 138-0013-8000" → "13800138000"; None when it is not a phone number at all."""
    value = _SEPARATORS.sub("", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    elif value.startswith("+"):
        value = value[1:]
    return value if _DIGITS.match(value) else None
