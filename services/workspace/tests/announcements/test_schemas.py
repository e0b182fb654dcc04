"""What an author may send when publishing an announcement."""
import pytest
from marshmallow import ValidationError

from crm_workspace.announcements.schemas import AnnouncementIn

BASE = {"title": "Office closed Friday", "body": "See you Monday."}


def test_defaults_to_the_whole_branch_now_and_no_expiry():
    data = AnnouncementIn().load(BASE)
    assert data["audience_department_paths"] == []
    assert data["published_at"] is None and data["expires_at"] is None


def test_expiry_must_follow_publication():
    with pytest.raises(ValidationError) as exc:
        AnnouncementIn().load({**BASE, "published_at": "2026-05-02T00:00:00+00:00",
                               "expires_at": "2026-05-01T00:00:00+00:00"})
    assert "expires_at" in exc.value.messages


def test_expiry_in_the_past_is_rejected_when_publishing_now():
    with pytest.raises(ValidationError) as exc:
        AnnouncementIn().load({**BASE, "expires_at": "2020-01-01T00:00:00+00:00"})
    assert "expires_at" in exc.value.messages


@pytest.mark.parametrize("field", ["owner_id", "branch", "department_path", "id", "created_at"])
def test_server_owned_fields_are_rejected(field):
    with pytest.raises(ValidationError) as exc:
        AnnouncementIn().load({**BASE, field: "x"})
    assert field in exc.value.messages


@pytest.mark.parametrize("bad", [{"title": "   "}, {"title": "x" * 201}, {"body": "x" * 20001},
                                 {"audience_department_paths": ["/a"]},
                                 {"published_at": "2026-05-01T00:00:00"}])
def test_invalid_input(bad):
    with pytest.raises(ValidationError):
        AnnouncementIn().load({**BASE, **bad})


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T20:00:00-10:00"])
def test_instants_that_leave_the_calendar_in_utc_are_refused(moment):
    with pytest.raises(ValidationError) as exc:
        AnnouncementIn().load({**BASE, "published_at": moment})
    assert "published_at" in exc.value.messages
