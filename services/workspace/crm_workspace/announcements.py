"""Use cases for announcements (WSP-01 core): addressed to departments, with read receipts.

Readers see an announcement by its audience (see audience.py), not by data scope: an
announcement is written to be read. Data scope applies to the author side only (receipts).
"""
from sqlalchemy import and_, false, func, or_, select

from crm_common.database import new_id
from crm_common.errors import NotFound
from crm_common.pagination import ListQuery, keyset_page
from crm_common.principal import Principal
from crm_common.records import get_in_scope, is_uuid, ownership_of, utcnow
from crm_common.validation import load_body, load_query
from crm_workspace import read_state
from crm_workspace.audience import ancestor_paths, normalise_audience
from crm_workspace.models import Announcement, AnnouncementRead
from crm_workspace.schemas import AnnouncementIn, AnnouncementOut, AnnouncementReadOut, ReceiptOut

SORTS = {"published_at": Announcement.published_at}
READS = (AnnouncementRead, AnnouncementRead.announcement_id)


def visible_to(principal: Principal):
    """SQL twin of audience.reaches, plus the branch rule (scope `all` crosses branches)."""
    if not principal.user_id:
        return false()
    audience = Announcement.audience_department_paths
    reached = or_(func.cardinality(audience) == 0,
                  audience.overlap(ancestor_paths(principal.department_path)))
    if principal.scope == "all":
        return reached
    return and_(Announcement.branch == principal.branch, reached)


def _find(session, principal: Principal, announcement_id) -> Announcement:
    """Published and addressed to the caller; expired ones stay readable (links, history)."""
    if not is_uuid(announcement_id):
        raise NotFound("Announcement not found")
    announcement = session.execute(select(Announcement).where(
        Announcement.id == str(announcement_id), visible_to(principal),
        Announcement.published_at <= utcnow())).scalar_one_or_none()
    if announcement is None:
        raise NotFound("Announcement not found")
    return announcement


def create(uow, principal: Principal, payload) -> dict:
    principal.require("announcements.write")
    data = load_body(AnnouncementIn(), payload)
    with uow:
        announcement = Announcement(
            id=new_id(), **ownership_of(principal), title=data["title"], body=data["body"],
            audience_department_paths=normalise_audience(data["audience_department_paths"]),
            published_at=data["published_at"] or utcnow(), expires_at=data["expires_at"])
        uow.session.add(announcement)
        uow.session.flush()
        return dict(AnnouncementOut().dump(announcement), read=False)


def get(uow, principal: Principal, announcement_id) -> dict:
    principal.require("announcements.read")
    with uow:
        announcement = _find(uow.session, principal, announcement_id)
        read = read_state.read_ids(uow.session, *READS, [announcement.id], principal.user_id)
        return read_state.items_with_read(AnnouncementOut(), [announcement], read)[0]


def list_(uow, principal: Principal, query) -> dict:
    """Only current announcements: published and not yet expired, newest first."""
    principal.require("announcements.read")
    q = load_query(ListQuery(), query)
    now = utcnow()
    stmt = select(Announcement).where(
        visible_to(principal), Announcement.published_at <= now,
        or_(Announcement.expires_at.is_(None), Announcement.expires_at > now))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Announcement.id, q, SORTS, "-published_at")
        read = read_state.read_ids(uow.session, *READS, [r.id for r in rows], principal.user_id)
        return {"items": read_state.items_with_read(AnnouncementOut(), rows, read),
                "next_cursor": cursor}


def mark_read(uow, principal: Principal, announcement_id) -> dict:
    principal.require("announcements.read")
    with uow:
        announcement = _find(uow.session, principal, announcement_id)
        return AnnouncementReadOut().dump(
            read_state.mark(uow.session, *READS, announcement.id, principal.user_id))


def read_receipts(uow, principal: Principal, announcement_id) -> list[dict]:
    """For the author, or whoever's data scope covers the author (their manager)."""
    principal.require("announcements.write")
    with uow:
        announcement = get_in_scope(uow.session, Announcement, announcement_id, principal)
        receipts = uow.session.execute(
            select(AnnouncementRead).where(AnnouncementRead.announcement_id == announcement.id)
            .order_by(AnnouncementRead.read_at, AnnouncementRead.user_id)).scalars().all()
        return ReceiptOut(many=True).dump(receipts)
