"""Column sets and lookups for records that belong to someone (owner, department, branch)."""
import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, Uuid, func, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from crm_common import clock, teams
from crm_common.errors import Forbidden, NotFound
from crm_common.principal import Principal, scope_filter


def utcnow() -> datetime:
    """Now, as an aware UTC instant (crm_common.clock: a test suite may set it)."""
    return clock.now()


class OwnedColumns:
    """Mixin for declarative models: the columns data scope filters on."""
    owner_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    department_path: Mapped[str] = mapped_column(String(500), index=True)
    branch: Mapped[str] = mapped_column(String(20), index=True)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 default=utcnow, onupdate=utcnow)


def ownership_of(principal: Principal) -> dict:
    """A new record belongs to its creator, in the creator's department and branch."""
    return {"owner_id": principal.user_id, "department_path": principal.department_path,
            "branch": principal.branch}


def is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
        return True
    except ValueError:
        return False


def get_in_scope(session, model, record_id, principal: Principal, *, for_update=False, extra=(),
                 permission: str | None = None, read_permission: str | None = None, team=None,
                 also=None, sees=None):
    """The record if it exists and the caller's scope for `permission` covers it.

    Otherwise NotFound (never 403), so existence does not leak; except when the caller may read
    the record (`read_permission`) but not act on it: then Forbidden, since they can see it anyway.
    `team` = (team_members table, kind): a live member sees the record too, and a read-write one
    may change it (for_update); a read-only member who tries is answered Forbidden.
    `also` is a further condition that makes the record the caller's for this call (an approver of
    the document's waiting stage reading or deciding it); `sees` one under which the caller sees the
    record but may not do this with it: Forbidden, like a read-only member.
    """
    def covering(perm, write):
        scope = scope_filter(principal, model, perm) if team is None else teams.visible(principal, model, *team,
                                                                                          perm, write)
        return scope if also is None else or_(scope, also)

    if not is_uuid(record_id):
        raise NotFound(f"{model.__name__} not found")
    stmt = select(model).where(model.id == str(record_id), covering(permission, for_update), *extra)
    if for_update:
        stmt = stmt.with_for_update()
    record = session.execute(stmt).scalar_one_or_none()
    if record is None:
        readable = read_permission if read_permission and principal.has(read_permission) else None
        seen = covering(readable, False) if sees is None else or_(covering(readable, False), sees)
        if (readable or sees is not None or (team is not None and for_update)) and session.execute(
                select(model.id).where(model.id == str(record_id), seen, *extra)).first():
            raise Forbidden(f"Your data scope does not let you {permission or 'change'} this {model.__name__}")
        raise NotFound(f"{model.__name__} not found")
    return record
