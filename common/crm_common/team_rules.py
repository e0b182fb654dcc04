"""Team members (团队成员, issue 17): pure rules, no database and no framework.

A record (customer, opportunity, contract) may name users besides its owner who work on it: a
read-only member sees it, a read-write member also changes it, even outside their data scope. A
membership may end: `expires_on` is the branch's calendar day after which it no longer counts
(the member sees the record all day long on that day, by the branch's clock).
"""
from datetime import date, datetime, tzinfo

from crm_common import branch_time

READ_ONLY, READ_WRITE = "read_only", "read_write"
ACCESS = (READ_ONLY, READ_WRITE)
# what a record's kind is called in its service's table and in the API's paths
KINDS = ("customer", "opportunity", "contract")


def grants(access: str, write: bool) -> bool:
    """Whether a membership with `access` lets its member read (write=False) or change the record."""
    return access == READ_WRITE if write else access in ACCESS


def expiry_instant(expires_on: date | None, zone: tzinfo) -> datetime | None:
    """The first instant the membership no longer counts: the end of `expires_on` in the branch."""
    return None if expires_on is None else branch_time.end_of_day(expires_on, zone)


def expiry_day(expires_at: datetime | None, zone: tzinfo) -> date | None:
    """The branch day a stored expiry instant closes (the inverse of expiry_instant)."""
    return None if expires_at is None else branch_time.day_of(expires_at, zone) - _ONE_DAY


def is_live(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is None or expires_at > now


def membership_errors(*, member_id: str, owner_id: str, expires_on: date | None, today: date) -> dict:
    """Field errors (422) of a membership about to be stored; empty when it may be."""
    errors = {}
    if member_id == owner_id:
        errors["user_id"] = ["The owner sees and edits the record already."]
    if expires_on is not None and expires_on < today:
        errors["expires_on"] = ["Must be today or later (the branch's calendar)."]
    return errors


_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)
