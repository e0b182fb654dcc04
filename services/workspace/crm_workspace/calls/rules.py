"""Pure rules of the call log and work orders: phone numbers and the two life cycles."""
from crm_common import phones
from crm_common.errors import InvalidInput
from crm_common.statemachine import StateMachine

CALL_SOURCES = ("phone", "wechat", "web", "email", "visit", "other")
CALL_STATUSES = ("pending", "handled")
WORK_ORDER_STATUSES = ("open", "closed")

CALL = StateMachine("call", {"handle": (["pending"], "handled")})
WORK_ORDER = StateMachine("work order", {"close": (["open"], "closed"), "assign": (["open"], "open")})

def normalise_phone(raw: str) -> str | None:
    """Phone numbers as typed by people → the form every service compares them by
    (crm_common.phones): "+86 138-0013-8000" → "13800138000", "+86 571 8888 6666" → "057188886666";
    None when it is not a phone number at all."""
    return phones.comparable(raw)


def normalised_phone(raw: str, field: str = "phone") -> str:
    """The comparable form of a number a client sent, or a 422 on its field."""
    phone = normalise_phone(raw)
    if phone is None:
        raise InvalidInput("Invalid phone number", {field: ["Not a phone number."]})
    return phone
