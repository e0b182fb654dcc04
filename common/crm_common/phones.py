"""Chinese phone numbers as people type them → one comparable form, shared by every service that
matches numbers (the customers' duplicate check, the workspace's call log).

The comparable form is what a caller in China dials: a mobile's 11 digits (`13800138000`), a
landline's area code with its trunk 0 and the local number (`057188886666`), a 400/800 service
number's 10 digits. The country code (+86, 0086), spaces, dashes, dots and brackets are dropped;
an extension (`-123`, `转123`, `ext 123`) is no part of the form, since no caller id carries one.
"""
import re
import unicodedata
from dataclasses import dataclass

PHONE_KINDS = ("mobile", "office", "home", "fax", "service", "other")

_SEPARATORS = re.compile(r"[\s\-().·]")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE)
_DASH_EXTENSION = re.compile(r"^(.*\d{7,8})-(\d{1,6})$")  # "0571-88886666-123"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Two-digit area codes are 010 and 02x with 8-digit local numbers; three-digit ones (03xx..09xx)
# have 7- or 8-digit local numbers. Local numbers never start with 0 or 1.
_LANDLINE = re.compile(r"^0(?:(?:10|2\d)[2-9]\d{7}|[3-9]\d{2}[2-9]\d{6,7})$")
_SERVICE = re.compile(r"^[48]00\d{7}$")
_DIGITS = re.compile(r"^\d{3,20}$")


@dataclass(frozen=True)
class Phone:
    number: str  # the comparable form
    line: str  # mobile, landline or service: what the digits are, whatever kind the user chose
    extension: str | None = None

    @property
    def display(self) -> str:
        return f"{self.number}-{self.extension}" if self.extension else self.number


def _national(raw: str, extension_too: bool = True) -> tuple[str, str | None]:
    """(digits without country code, extension) of what was typed."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    extension = None
    match = _EXTENSION.search(text) if extension_too else None
    if match:
        text, extension = text[: match.start()], match.group(1)
    elif extension_too:
        dashed = _DASH_EXTENSION.match(text.replace(" ", ""))
        if dashed and text.count("-") >= 2:
            text, extension = dashed.group(1), dashed.group(2)
    value = _SEPARATORS.sub("", text)
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    elif value.startswith("86") and _MOBILE.match(value[2:]):
        value = value[2:]
    if value and not value.startswith(("0", "1", "4", "8")) and 9 <= len(value) <= 11:
        value = "0" + value  # +86 571 88886666: the area code comes without its trunk 0
    return value, extension


def parse(raw: str) -> Phone | None:
    """A valid Chinese mobile, landline with area code or 400/800 number; None otherwise."""
    value, extension = _national(raw)
    if _MOBILE.match(value):
        return Phone(value, "mobile") if extension is None else None
    if _LANDLINE.match(value):
        return Phone(value, "landline", extension)
    if _SERVICE.match(value):
        return Phone(value, "service", extension)
    return None


def comparable(raw: str | None) -> str | None:
    """The form to compare numbers by: a valid number's comparable form, any other run of 3 to 20
    digits as it is (short service numbers such as 95338 call too); None for no number at all."""
    phone = parse(raw or "")
    if phone is not None:
        return phone.number
    value, _ = _national(raw or "", extension_too=False)
    return value if _DIGITS.match(value) else None
