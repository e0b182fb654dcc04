"""Use cases for announcements (WSP-01): addressed to departments, with read receipts."""
from crm_common.database import new_id
from crm_common.principal import Principal
from crm_common.records import ownership_of, utcnow
from crm_common.validation import NoInput, load_body, load_patch
from crm_workspace.announcements.models import Announcement
from crm_workspace.announcements.queries import READS, authored, find, with_read
from crm_workspace.announcements.rules import normalise_audience
from crm_workspace.announcements.schemas import AnnouncementIn, AnnouncementOut, AnnouncementReadOut
from crm_workspace.db import mark_read as record_read


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


def mark_read(uow, principal: Principal, announcement_id) -> dict:
    principal.require("announcements.read")
    with uow:
        announcement = find(uow.session, principal, announcement_id)
        return AnnouncementReadOut().dump(record_read(uow.session, *READS, announcement.id, principal.user_id))


def update(uow, principal: Principal, announcement_id, payload) -> dict:
    """Change what is sent; checked as a whole (it still expires after it is published)."""
    principal.require("announcements.write")
    with uow:
        announcement = authored(uow.session, principal, announcement_id)
        data, given = load_patch(AnnouncementIn, payload, announcement)
        if "audience_department_paths" in given:
            data["audience_department_paths"] = normalise_audience(data["audience_department_paths"])
        for key in given:
            setattr(announcement, key, data[key] if key != "published_at" else data[key] or utcnow())
        uow.session.flush()
        return with_read(uow.session, principal, [announcement])[0]


def withdraw(uow, principal: Principal, announcement_id, payload=None) -> dict:
    """It stops reaching its audience at once; receipts stay for the author's side."""
    principal.require("announcements.write")
    load_body(NoInput(), payload or {})
    with uow:
        announcement = authored(uow.session, principal, announcement_id)
        announcement.withdrawn_at = utcnow()
        uow.session.flush()
        return with_read(uow.session, principal, [announcement])[0]
