"""Pure rules of the customer record: the lead life cycle (CUS-06) and the duplicate keys (CUS-11)."""
import re
import unicodedata

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
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone or ""))
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits[-40:] or None


def email_key(email: str | None) -> str | None:
    return (email or "").strip().lower() or None
