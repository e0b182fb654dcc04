"""Pure rules of the call log and work orders: phone numbers and the two life cycles."""
import re

from crm_common.errors import InvalidInput
from crm_common.statemachine import StateMachine

CALL_SOURCES = ("phone", "wechat", "web", "email", "visit", "other")
CALL_STATUSES = ("pending", "handled")
WORK_ORDER_STATUSES = ("open", "closed")

CALL = StateMachine("call", {"handle": (["pending"], "handled")})
WORK_ORDER = StateMachine("work order", {"close": (["open"], "closed"), "assign": (["open"], "open")})

_SEPARATORS = re.compile(r"[\s\-().]")
_DIGITS = re.compile(r"^\d{3,20}$")


def normalise_phone(raw: str) -> str | None:
    """Phone numbers as typed by people → one comparable form (digits, no +86 country code):
    "+86 138-0013-8000" → "13800138000"; None when it is not a phone number at all."""
    value = _SEPARATORS.sub("", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    elif value.startswith("+"):
        value = value[1:]
    return value if _DIGITS.match(value) else None


def normalised_phone(raw: str, field: str = "phone") -> str:
    """The comparable form of a number a client sent, or a 422 on its field."""
    phone = normalise_phone(raw)
    if phone is None:
        raise InvalidInput("Invalid phone number", {field: ["Not a phone number."]})
    return phone
