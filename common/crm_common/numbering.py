"""Document numbers (单据编号规则): one rule per document type and branch, set by an administrator.

A number is `<prefix>-<branch>[-<date>]-<sequence>`: the date part is the year, the year and month,
or nothing, on the branch's calendar (`branch_time`); the sequence has at least `digits` digits and
starts again each year, each month or never. Without a rule a type keeps today's numbers
(`SO-HQ-2026-000123`). Pure: `UnitOfWork.document_number` keeps the counters and reads the rule.

Every number is gap-free: its counter row is incremented inside the document's own transaction and
stays locked until it commits, so a rolled-back document rolls its number back too.

Uniqueness across rule changes: the counter of a rule is keyed by its prefix, branch, date part and
reset, and the digits only pad. Two rules with the same prefix and date part but another reset
would count the same numbers twice, so `conflicting_keys` names the counters that forbid the change.
"""
import re
from dataclasses import asdict, dataclass
from datetime import date

DATE_PARTS = ("year", "year_month", "none")
RESETS = ("year", "month", "never")
# Which resets each date part can show: a sequence that restarts must restart with a new date.
_RESETS_SHOWN = {"year": ("year", "never"), "year_month": ("year", "month", "never"), "none": ("never",)}
PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
MIN_DIGITS, MAX_DIGITS = 3, 12

# document type → (the service that numbers it, today's prefix)
DOCUMENT_TYPES = {
    "customer": ("customers", "C"), "complaint": ("customers", "CP"),
    "quote": ("sales", "QT"), "order": ("sales", "SO"), "sample_order": ("sales", "SP"),
    "contract": ("sales", "CT"), "return": ("sales", "RT"), "pool_extension": ("sales", "PE"),
    "expense_reimbursement": ("sales", "EX"),
    "shipment": ("logistics", "SH"), "field_service_order": ("logistics", "FS"),
    "invoice": ("finance", "INV"), "receipt": ("finance", "RC"), "receipt_reversal": ("finance", "RV"),
    "payment": ("finance", "PY"),
    "work_order": ("workspace", "WO"),
}


@dataclass(frozen=True)
class NumberRule:
    prefix: str
    date_part: str = "year"
    digits: int = 6
    reset: str = "year"

    def as_dict(self) -> dict:
        return asdict(self)


def default_rule(document_type: str) -> NumberRule:
    return NumberRule(prefix=DOCUMENT_TYPES[document_type][1])


def problems(rule: NumberRule) -> dict:
    """{field: [message]} of what makes the rule unusable; empty when it is fine."""
    errors = {}
    if not PREFIX.match(rule.prefix or ""):
        errors["prefix"] = ["1 to 10 capital letters or digits, starting with a letter."]
    if rule.date_part not in DATE_PARTS:
        errors["date_part"] = [f"One of {', '.join(DATE_PARTS)}."]
    if not isinstance(rule.digits, int) or not MIN_DIGITS <= rule.digits <= MAX_DIGITS:
        errors["digits"] = [f"From {MIN_DIGITS} to {MAX_DIGITS}."]
    if rule.reset not in RESETS:
        errors["reset"] = [f"One of {', '.join(RESETS)}."]
    elif rule.date_part in DATE_PARTS and rule.reset not in _RESETS_SHOWN[rule.date_part]:
        errors["reset"] = ["A sequence that starts again needs a date part that changes with it "
                           "(a monthly reset needs year_month, a yearly one a year)."]
    return errors


def counter_key(rule: NumberRule, branch: str) -> str:
    """The counter row's key; the default shape keeps the key numbers had before rules existed."""
    base = f"{rule.prefix}-{branch}"
    return base if (rule.date_part, rule.reset) == ("year", "year") else f"{base}/{rule.date_part}/{rule.reset}"


def conflicting_keys(rule: NumberRule, branch: str) -> list[str]:
    """Counters whose numbers this rule would give again: same prefix and date part, another reset."""
    return [counter_key(NumberRule(rule.prefix, rule.date_part, rule.digits, other), branch)
            for other in _RESETS_SHOWN.get(rule.date_part, ()) if other != rule.reset]


def period(rule: NumberRule, day: date) -> int:
    """Which run of the sequence `day` falls in (the counter row's second key)."""
    if rule.reset == "year":
        return day.year
    if rule.reset == "month":
        return day.year * 100 + day.month
    return 0


def format_number(rule: NumberRule, branch: str, day: date, value: int) -> str:
    parts = [rule.prefix, branch]
    if rule.date_part == "year":
        parts.append(f"{day.year}")
    elif rule.date_part == "year_month":
        parts.append(f"{day.year}{day.month:02d}")
    parts.append(f"{value:0{rule.digits}d}")
    return "-".join(parts)
