"""Reads of announcements. Readers see an announcement by its audience (rules.reaches), not by
data scope: an announcement is written to be read. Data scope applies to the author side only
(receipts)."""
from sqlalchemy import and_, false, func, or_, select

from crm_common.errors import Conflict, NotFound
from crm_common.pagination import ListQuery, keyset_page
from crm_common.principal import Principal
from crm_common.records import get_in_scope, is_uuid, utcnow
from crm_common.validation import load_query
from crm_workspace.announcements.models import Announcement, AnnouncementRead
from crm_workspace.announcements.rules import ancestor_paths
from crm_workspace.announcements.schemas import AnnouncementOut, ReceiptOut
from crm_workspace.db import items_with_read, read_ids

SORTS = {"published_at": Announcement.published_at}
READS = (AnnouncementRead, AnnouncementRead.announcement_id)


def visible_to(principal: Principal):
    """SQL twin of rules.reaches, plus the branch rule (scope `all` crosses branches); a withdrawn
    announcement reaches nobody."""
    if not principal.user_id:
        return false()
    audience = Announcement.audience_department_paths
    reached = and_(Announcement.withdrawn_at.is_(None), or_(
        func.cardinality(audience) == 0, audience.overlap(ancestor_paths(principal.department_path))))
    if principal.scope == "all":
        return reached
    return and_(Announcement.branch == principal.branch, reached)


def current(principal: Principal, now):
    """What the caller is shown now: published and not yet expired."""
    return select(Announcement).where(
        visible_to(principal), Announcement.published_at <= now,
        or_(Announcement.expires_at.is_(None), Announcement.expires_at > now))


def find(session, principal: Principal, announcement_id) -> Announcement:
    """Published and addressed to the caller; expired ones stay readable (links, history)."""
    if not is_uuid(announcement_id):
        raise NotFound("Announcement not found")
    announcement = session.execute(select(Announcement).where(
        Announcement.id == str(announcement_id), visible_to(principal),
        Announcement.published_at <= utcnow())).scalar_one_or_none()
    if announcement is None:
        raise NotFound("Announcement not found")
    return announcement


def authored(session, principal: Principal, announcement_id) -> Announcement:
    """For a change by its author's side: the write scope decides, not the audience."""
    announcement = get_in_scope(session, Announcement, announcement_id, principal, for_update=True,
                                permission="announcements.write")
    if announcement.withdrawn_at is not None:
        raise Conflict("This announcement was withdrawn")
    return announcement


def with_read(session, principal: Principal, rows) -> list[dict]:
    """The rows dumped, each with whether the caller has read it."""
    read = read_ids(session, *READS, [r.id for r in rows], principal.user_id)
    return items_with_read(AnnouncementOut(), rows, read)


def get(uow, principal: Principal, announcement_id) -> dict:
    principal.require("announcements.read")
    with uow:
        return with_read(uow.session, principal, [find(uow.session, principal, announcement_id)])[0]


def list_(uow, principal: Principal, query) -> dict:
    """Only current announcements, newest first."""
    principal.require("announcements.read")
    q = load_query(ListQuery(), query)
    with uow:
        rows, cursor = keyset_page(uow.session, current(principal, utcnow()), Announcement.id, q, SORTS,
                                   "-published_at")
        return {"items": with_read(uow.session, principal, rows), "next_cursor": cursor}


def read_receipts(uow, principal: Principal, announcement_id) -> list[dict]:
    """For the author, or whoever's data scope covers the author (their manager)."""
    principal.require("announcements.write")
    with uow:
        announcement = get_in_scope(uow.session, Announcement, announcement_id, principal)
        receipts = uow.session.execute(
            select(AnnouncementRead).where(AnnouncementRead.announcement_id == announcement.id)
            .order_by(AnnouncementRead.read_at, AnnouncementRead.user_id)).scalars().all()
        return ReceiptOut(many=True).dump(receipts)
