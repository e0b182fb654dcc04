"""A department moved in the tree: the workspace rewrites every path under it, lists included
(crm_common.department_moves), and a second delivery of the same move changes nothing."""
import uuid

from crm_common.department_moves import moved_path, rewrite_paths
from crm_common.records import utcnow
from crm_workspace.announcements.models import Announcement
from crm_workspace.db import Base

OLD, NEW = "/root/east/team/", "/root/west/team/"


def _announcement(session, owner_path, audience):
    row = Announcement(id=str(uuid.uuid4()), title="通知", body="正文", owner_id=str(uuid.uuid4()),
                       department_path=owner_path, branch="HQ", audience_department_paths=audience,
                       published_at=utcnow())
    session.add(row)
    session.flush()
    return row.id


def test_paths_under_the_moved_department_follow_it_and_others_stay(uow):
    with uow() as unit:
        inside = _announcement(unit.session, OLD + "sub/", ["/root/", OLD, OLD + "sub/", "/root/eastern/"])
        outside = _announcement(unit.session, "/root/east/", ["/root/east/"])
        assert rewrite_paths(unit.session, Base.metadata, OLD, NEW) == 2  # its owner path and its audience
        unit.session.expire_all()
        moved, kept = unit.session.get(Announcement, inside), unit.session.get(Announcement, outside)
        assert moved.department_path == NEW + "sub/"
        assert moved.audience_department_paths == ["/root/", NEW, NEW + "sub/", "/root/eastern/"]  # order kept
        assert (kept.department_path, kept.audience_department_paths) == ("/root/east/", ["/root/east/"])
        assert rewrite_paths(unit.session, Base.metadata, OLD, NEW) == 0  # applied again: nothing left to move


def test_moved_path_is_a_prefix_replacement():
    assert moved_path(OLD + "x/", OLD, NEW) == NEW + "x/"
    assert moved_path("/root/east/", OLD, NEW) == "/root/east/"
    assert moved_path("/root/east/teamwork/", OLD, NEW) == "/root/east/teamwork/"  # a sibling sharing letters
