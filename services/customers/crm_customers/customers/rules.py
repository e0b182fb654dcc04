"""Pure rules of the customer record: the lead life cycle (CUS-06), the duplicate keys (CUS-11) and
the Chinese identifiers (统一社会信用代码, 组织机构代码, 身份证号) with their check digits."""
import re
import unicodedata
from datetime import date, datetime, tzinfo

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

from crm_common import field_policy, phones
from crm_common.branch_time import day_of, today as branch_today
from crm_common.statemachine import StateMachine

LEAD_STAGES = ("new", "contacted", "qualified", "proposal", "lost")
_OPEN_STAGES = ("new", "contacted", "qualified", "proposal")
# One table for lead → follow-up stages → customer and back. The state is a lead's stage, or
# the status of anything that is not a lead ("customer", "inactive"); a stage change is the
# action that leads to the chosen stage.
LIFE_CYCLE = StateMachine("lead", {
    "contact": (("new", "qualified"), "contacted"),
    "qualify": (("contacted", "proposal"), "qualified"),
    "propose": (("qualified",), "proposal"),
    "lose": (_OPEN_STAGES, "lost"),
    "reopen": (("lost",), "new"),
    "convert": (_OPEN_STAGES, "customer"),  # a lost lead is reopened first
    "back_to_lead": (("customer",), "new"),
})
STAGE_ACTIONS = {  # the chosen follow-up stage → the action that leads there
    "contacted": "contact", "qualified": "qualify", "proposal": "propose", "lost": "lose", "new": "reopen"}


def move(status: str, stage: str | None, action: str) -> tuple[str, str | None]:
    """(status, stage) after the action, or TransitionNotAllowed naming what is allowed instead."""
    state = LIFE_CYCLE.next_status((stage or "new") if status == "lead" else status, action)
    return ("customer", None) if state == "customer" else ("lead", state)


# Two names are the same company when they differ only by case, spaces, punctuation, full-width
# forms or a legal-form suffix (有限公司, Co., Ltd. ...).
_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "公司", "corporation", "company",
             "limited", "corp", "inc", "ltd", "co", "llc", "gmbh")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def name_key(name: str | None) -> str:
    text = unicodedata.normalize("NFKC", name or "").lower()
    text = _NOISE.sub("", text)
    changed = True
    while changed and text:
        changed = False
        for suffix in _SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                text, changed = text[: -len(suffix)], True
    return text[:200]


def phone_key(phone: str | None) -> str | None:
    return phones.comparable(phone)


def email_key(email: str | None) -> str | None:
    return (email or "").strip().lower() or None


# --- Chinese identifiers -------------------------------------------------------------------------
# Each check returns the number in its canonical form or raises ValueError with the reason a
# person can act on; schemas turn that into a 422 on the field.

def credit_code(value: str) -> str:
    """统一社会信用代码: 18 characters, the last a check character over the first 17 (GB 32100)."""
    try:
        return uscc.validate(value)
    except InvalidChecksum:
        raise ValueError("The check character does not match: a typing error in the credit code.") from None
    except ValidationError:
        raise ValueError("A credit code has 18 digits and capital letters (no I, O, S, V, Z).") from None


_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organization_code(value: str) -> str:
    """组织机构代码 (GB 11714): 8 digits or capital letters and a check character, written
    `XXXXXXXX-C` or without the dash."""
    text = re.sub(r"[\s-]", "", value or "").upper()
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", text):
        raise ValueError("An organization code has 8 digits or capital letters and a check character.")
    remainder = 11 - sum(_ORG_ALPHABET.index(c) * w for c, w in zip(text[:8], _ORG_WEIGHTS, strict=True)) % 11
    check = {10: "X", 11: "0"}.get(remainder, str(remainder))
    if text[8] != check:
        raise ValueError("The check character does not match: a typing error in the organization code.")
    return f"{text[:8]}-{text[8]}"


def organization_code_matches(credit: str, organization: str) -> bool:
    """Characters 9 to 17 of a credit code are the organization code it replaced."""
    return credit[8:17] == organization.replace("-", "")


def resident_id(value: str, today: date) -> tuple[str, date]:
    """身份证号 (GB 11643): 18 digits (the last may be X), a real birth date not after today and
    a known area of birth; (the number, the birth date)."""
    try:
        number = ric.validate(value)
    except InvalidChecksum:
        raise ValueError("The check digit does not match: a typing error in the ID number.") from None
    except InvalidComponent:
        raise ValueError("The birth date or area inside the ID number does not exist.") from None
    except ValidationError:
        raise ValueError("An ID number has 17 digits and a check digit or X.") from None
    born = ric.get_birth_date(number)
    if born > today:
        raise ValueError("The birth date inside the ID number is in the future.")
    return number, born


def birth_date(number: str) -> date:
    """The birth date inside a checked ID number."""
    return ric.get_birth_date(number)


COMPANY_IDENTIFIERS = ("credit_code", "organization_code", "registered_address", "legal_representative")


def identity_errors(kind: str, values: dict) -> dict:
    """What of a customer's identifiers does not fit its kind or each other, as {field: [message]}."""
    errors = {}
    if kind == "individual":
        for field in COMPANY_IDENTIFIERS:
            if values.get(field):
                errors[field] = ["Only a company customer has this."]
    elif values.get("id_number"):
        errors["id_number"] = ["Only an individual customer has an ID number."]
    credit, organization = values.get("credit_code"), values.get("organization_code")
    if credit and organization and not organization_code_matches(credit, organization):
        errors["organization_code"] = ["Not the organization code inside the credit code (its 9th to 17th characters)."]
    return errors


def masked_id(number: str | None) -> str | None:
    """The area (6 digits) and the last 4 shown, the birth date and sequence hidden (the same mask
    field permissions put on an ID number)."""
    return field_policy.mask_id_number(number) if number else number


def phone(value: str) -> phones.Phone:
    """A mobile, a landline with its area code or a 400/800 number, in the comparable form."""
    parsed = phones.parse(value)
    if parsed is None:
        raise ValueError("Not a Chinese mobile (11 digits) or landline with its area code (0571-88886666).")
    return parsed


PLACE = ("province", "city", "district")


def typed_place(data: dict, current: dict | None) -> dict | None:
    """What a write says of the place, level by level, for crm_common.regions.resolve; None if it
    says nothing. Levels above the highest one sent stay as they are (a new city in the same
    province); levels below it that were not sent are cleared (a new city drops the district)."""
    sent = [level for level in PLACE if level in data]
    if not sent:
        return None
    top = PLACE.index(sent[0])
    return {level: data[level] if level in data else (current or {}).get(f"{level}_code") if index < top else None
            for index, level in enumerate(PLACE)}


def recycle_days_left(due: datetime | None, now: datetime, zone: tzinfo) -> int | None:
    """Branch days until the customer falls back to its pool (0: the next nightly run takes it);
    None: it does not (no rule, or held: pool.rules.HOLD_REASONS)."""
    return None if due is None else days_left_from(due, branch_today(now, zone), zone)


def days_left_from(due: datetime, today: date, zone: tzinfo) -> int:
    """recycle_days_left of a due date, the branch's today known already (once for a page of rows)."""
    return max((day_of(due, zone) - today).days, 0)
