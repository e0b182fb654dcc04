"""The gateway's own database: departments, users, roles, refresh tokens, login failures."""
from datetime import datetime

from sqlalchemy import (Boolean, Column, DateTime, ForeignKey, Index, String, Table, UniqueConstraint, Uuid, func)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from crm_common.records import Timestamps
from crm_gateway.identity.search_keys import search_keys


class Base(DeclarativeBase):
    pass


user_roles = Table(
    "user_roles", Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("roles.id", ondelete="CASCADE"), primary_key=True),
)


class Department(Timestamps, Base):
    """A node of the department tree; `path` is the materialised path the services scope on."""
    __tablename__ = "departments"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("departments.id"), index=True)
    path: Mapped[str] = mapped_column(String(500), unique=True)
    branch: Mapped[str] = mapped_column(String(20), index=True)


class BranchProfile(Timestamps, Base):
    """What a branch prints as the company (公司名称) on its quotes, orders, contracts and
    statements; a branch without a row prints its department tree's root (identity/company.py)."""
    __tablename__ = "branch_profiles"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    company_name: Mapped[str] = mapped_column(String(200))


class Role(Timestamps, Base):
    __tablename__ = "roles"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    permissions: Mapped[list[str]] = mapped_column(ARRAY(String(60)))
    data_scope: Mapped[str] = mapped_column(String(20))
    # {permission: scope} where this role's scope for one action differs from data_scope
    scope_overrides: Mapped[dict] = mapped_column(JSONB, default=dict)
    # field permissions (字段权限): {"customer.phone": {"access", "mask"}}, crm_common.field_policy
    field_rules: Mapped[dict] = mapped_column(JSONB, default=dict)


class User(Timestamps, Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[str | None] = mapped_column(String(100))  # 职位, shown in the directory
    # 直属上级 (issue 17): who approves as the user's first-level superior, besides the department tree
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    department_id: Mapped[str] = mapped_column(ForeignKey("departments.id"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    tokens_revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    department: Mapped[Department] = relationship(lazy="joined")
    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin", order_by=Role.name)
    search_keys: Mapped[list["UserSearchKey"]] = relationship(cascade="all, delete-orphan")  # read on renames only

    @validates("code", "name")
    def _reindex(self, attribute, value):
        """Whoever sets a code or a name (admin routes, the first admin) keeps the directory's keys."""
        names = {"code": self.code, "name": self.name, attribute: value}
        wanted = search_keys(names["code"], names["name"])
        kept = [row for row in self.search_keys if row.key in wanted]
        self.search_keys = kept + [UserSearchKey(key=key) for key in wanted - {row.key for row in kept}]
        return value


class UserSearchKey(Base):
    """A lower-case string a directory search matches as a prefix (search_keys.py)."""
    __tablename__ = "user_search_keys"
    __table_args__ = (Index("ix_user_search_keys_key", "key", postgresql_ops={"key": "varchar_pattern_ops"}),)

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)


class RefreshToken(Base):
    """Only the SHA-256 of a refresh token is kept. A family is one login's chain of rotations:
    presenting an already-rotated token revokes the whole family (token theft)."""
    __tablename__ = "refresh_tokens"

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[str] = mapped_column(Uuid(as_uuid=False), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RevokedSession(Base):
    """A refresh-token family ended (logout, theft): its access tokens are refused until they expire."""
    __tablename__ = "revoked_sessions"

    session_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class LoginFailure(Base):
    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_user_time", "username", "failed_at"),
                      Index("ix_login_failures_ip_time", "client_ip", "failed_at"))

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    username: Mapped[str] = mapped_column(String(40))
    client_ip: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SavedFilter(Timestamps, Base):
    """A user's own saved filter (场景, CUS-16) of one list of the console or any client."""
    __tablename__ = "saved_filters"
    __table_args__ = (UniqueConstraint("user_id", "list", "name", name="uq_saved_filters_user_list_name"),)

    id: Mapped[str] = mapped_column(Uuid(as_uuid=False), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    list: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[dict] = mapped_column(JSONB)  # the list's query parameters, as the client sends them
