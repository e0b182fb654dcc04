"""Normalised keys for the duplicate check (CUS-11). Pure functions.

Two names are the same company when they differ only by case, spaces, punctuation, full-width
forms or a legal-form suffix (有限公司, Co., Ltd. ...).
"""
import re
import unicodedata

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
