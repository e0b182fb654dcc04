"""API keys for integrations (ADM-10): created by an admin, shown once, stored hashed, revocable.

A key acts as a user (records it creates are that user's) but never beyond them: its
permissions are the key's list intersected with the user's current roles, its data scope the
narrower of the two, a read-only key may only read, and a disabled user's keys stop working.
Format: `crm_<prefix>_<secret>`; the prefix identifies the key in lists and logs.
"""
import hashlib
import secrets
from datetime import datetime, timedelta

from marshmallow import Schema, fields, validate
from sqlalchemy import Boolean, DateTime, ForeignKey, String, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.database import new_id
from crm_common.errors import InvalidInput, NotFound
from crm_common.principal import SCOPES, Principal
from crm_common.records import is_uuid, utcnow
from crm_common.validation import StrictSchema, load_body
from crm_gateway.identity.models import Base, Department, User
from crm_gateway.identity.permissions import PERMISSIONS, combine, combined_fields

LAST_USED_PRECISION = timedelta(minutes=1)


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(12), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    permissions: Mapped[list[str]] = mapped_column(ARRAY(String(60)))
    data_scope: Mapped[str] = mapped_column(String(20))
    read_only: Mapped[bool] = mapped_column(Boolean)
    created_by: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiKeyIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    user_id = fields.UUID(load_default=None)
    permissions = fields.List(fields.String(validate=validate.OneOf(sorted(PERMISSIONS))), required=True,
                              validate=validate.Length(min=1))
    data_scope = fields.String(required=True, validate=validate.OneOf(SCOPES))
    read_only = fields.Boolean(load_default=True)
    expires_at = fields.AwareDateTime(load_default=None)


class ApiKeyOut(Schema):
    id = fields.String()
    name = fields.String()
    prefix = fields.String()
    user_id = fields.String()
    permissions = fields.List(fields.String())
    data_scope = fields.String()
    read_only = fields.Boolean()
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    last_used_at = fields.DateTime()
    revoked_at = fields.DateTime()


class NewApiKeyOut(ApiKeyOut):
    key = fields.String()  # shown this once; only its hash is kept


class KeyRefused(Exception):
    pass


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(session_factory, principal: Principal, payload) -> dict:
    principal.require("admin.api_keys")
    data = load_body(ApiKeyIn(), payload)
    with session_factory() as session, session.begin():
        user = session.get(User, str(data["user_id"] or principal.user_id))
        if user is None or (principal.scope != "all" and user.department.branch != principal.branch):
            raise InvalidInput("Unknown user", {"user_id": ["No such user."]})
        if data["expires_at"] is not None and data["expires_at"] <= utcnow():
            raise InvalidInput("Expiry must be in the future", {"expires_at": ["In the past."]})
        prefix = secrets.token_hex(4)
        key = f"crm_{prefix}_{secrets.token_urlsafe(32)}"
        record = ApiKey(id=new_id(), name=data["name"], prefix=prefix, key_hash=_hash(key), user_id=user.id,
                        permissions=sorted(set(data["permissions"])), data_scope=data["data_scope"],
                        read_only=data["read_only"], created_by=principal.user_id, expires_at=data["expires_at"])
        session.add(record)
        session.flush()
        return {**ApiKeyOut().dump(record), "key": key}


def _in_branch(principal: Principal) -> tuple:
    """Like users, keys are managed by the admins of their user's branch (or head office): another
    branch's admin neither lists nor revokes them (found by the authorization matrix, issue 7)."""
    if principal.scope == "all":
        return ()
    return (ApiKey.user_id.in_(select(User.id).join(User.department).where(Department.branch == principal.branch)),)


def list_(session_factory, principal: Principal) -> dict:
    principal.require("admin.api_keys")
    with session_factory() as session:
        rows = session.execute(select(ApiKey).where(*_in_branch(principal)).order_by(ApiKey.created_at.desc())
                               ).scalars().all()
        return {"items": ApiKeyOut(many=True).dump(rows), "next_cursor": None}


def revoke(session_factory, principal: Principal, key_id) -> None:
    principal.require("admin.api_keys")
    with session_factory() as session, session.begin():
        record = session.execute(select(ApiKey).where(ApiKey.id == str(key_id), *_in_branch(principal))
                                 ).scalar_one_or_none() if is_uuid(key_id) else None
        if record is None:
            raise NotFound("API key not found")
        record.revoked_at = record.revoked_at or utcnow()


def principal_for(session_factory, key: str) -> tuple[Principal, bool, str]:
    """(principal, read_only, key id) for a presented key; KeyRefused if it is not usable."""
    parts = key.split("_", 2)  # the secret itself may contain "_"
    if len(parts) != 3 or parts[0] != "crm":
        raise KeyRefused("malformed")
    with session_factory() as session, session.begin():
        record = session.execute(select(ApiKey).where(ApiKey.prefix == parts[1])).scalar_one_or_none()
        if record is None or not secrets.compare_digest(record.key_hash, _hash(key)):
            raise KeyRefused("unknown")
        now = utcnow()
        if record.revoked_at is not None or (record.expires_at is not None and record.expires_at <= now):
            raise KeyRefused("revoked or expired")
        user = session.get(User, record.user_id)
        if user is None or not user.active:
            raise KeyRefused("its user is disabled")
        user_permissions, user_scope, user_scopes = combine(user.roles)
        if record.last_used_at is None or now - record.last_used_at > LAST_USED_PRECISION:
            record.last_used_at = now
        narrower = lambda scope: min(record.data_scope, scope, key=SCOPES.index)  # noqa: E731
        principal = Principal(user_id=user.id, username=f"{user.code}/key:{record.prefix}",
                              department_path=user.department.path, branch=user.department.branch,
                              scope=narrower(user_scope), permissions=frozenset(record.permissions) & user_permissions,
                              scopes={p: narrower(s) for p, s in user_scopes.items()},
                              fields=combined_fields(user.roles))
        return principal, record.read_only, record.id
