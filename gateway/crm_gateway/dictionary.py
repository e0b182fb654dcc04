"""Data dictionary (数据字典, ADM-06): the pick lists every screen and service shares.

Entries are never deleted, only deactivated, so records that used a code keep a label.
Services check pick-list fields against the active codes the gateway passes along
(`Route.picks`, crm_common.picklists), from a cache every gateway process keeps like its
revocation list: reloaded at most once a second, and at once after a change made through itself,
so other replicas follow within a second and a write costs no query of its own.
"""
import time

from marshmallow import Schema, fields, validate
from sqlalchemy import Boolean, Integer, PrimaryKeyConstraint, String, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Mapped, mapped_column

from crm_common.errors import BadRequest, NotFound
from crm_common import picklists
from crm_common.principal import Principal
from crm_common.validation import StrictSchema, load_body, load_query
from crm_gateway.identity.models import Base

CODE = validate.Regexp(r"^[a-z0-9_.-]{1,50}$", error="1-50 lowercase letters, digits, _ . -")


class DictionaryEntry(Base):
    __tablename__ = "dictionary_entries"
    __table_args__ = (PrimaryKeyConstraint("kind", "code"),)

    kind: Mapped[str] = mapped_column(String(50))
    code: Mapped[str] = mapped_column(String(50))
    label: Mapped[str] = mapped_column(String(100))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class EntryIn(StrictSchema):
    label = fields.String(required=True, validate=validate.Length(min=1, max=100))
    sort_order = fields.Integer(load_default=0, validate=validate.Range(-10000, 10000))
    active = fields.Boolean(load_default=True)


class EntryOut(Schema):
    kind = fields.String()
    code = fields.String()
    label = fields.String()
    sort_order = fields.Integer()
    active = fields.Boolean()


class EntriesQuery(StrictSchema):
    include_inactive = fields.Boolean(load_default=False)


def _checked(value: str, name: str) -> str:
    try:
        CODE(value)
    except Exception:
        raise BadRequest(f"Invalid {name}", {name: ["1-50 lowercase letters, digits, _ . -"]}) from None
    return value


def kinds(session_factory) -> dict:
    with session_factory() as session:
        rows = session.execute(select(DictionaryEntry.kind).distinct().order_by(DictionaryEntry.kind)).scalars()
        return {"items": [{"kind": kind} for kind in rows], "next_cursor": None}


def entries(session_factory, kind: str, query) -> dict:
    _checked(kind, "kind")
    include_inactive = load_query(EntriesQuery(), query)["include_inactive"]
    stmt = select(DictionaryEntry).where(DictionaryEntry.kind == kind)
    with session_factory() as session:
        rows = session.execute(stmt.order_by(DictionaryEntry.sort_order, DictionaryEntry.code)).scalars().all()
    if not rows:
        raise NotFound("No such dictionary")
    return {"items": EntryOut(many=True).dump([r for r in rows if include_inactive or r.active]),
            "next_cursor": None}


def put(session_factory, principal: Principal, kind: str, code: str, payload) -> dict:
    principal.require("admin.dictionaries")
    data = load_body(EntryIn(), payload)
    values = {"kind": _checked(kind, "kind"), "code": _checked(code, "code"), **data}
    with session_factory() as session, session.begin():
        stmt = pg_insert(DictionaryEntry).values(**values)
        session.execute(stmt.on_conflict_do_update(index_elements=["kind", "code"], set_=data))
        return EntryOut().dump(values)


class PickCache:
    """The active entries of the pick-list kinds (crm_common.picklists.KINDS), per process."""
    RELOAD_SECONDS = 1.0

    def __init__(self, session_factory):
        self._session_factory = session_factory
        self._picks: picklists.Picks = {}
        self._loaded_at = float("-inf")

    def invalidate(self) -> None:
        self._loaded_at = float("-inf")

    def current(self) -> picklists.Picks:
        if time.monotonic() - self._loaded_at > self.RELOAD_SECONDS:
            picks: picklists.Picks = {kind: {} for kind in picklists.KINDS}
            with self._session_factory() as session:
                rows = session.execute(
                    select(DictionaryEntry.kind, DictionaryEntry.code, DictionaryEntry.label)
                    .where(DictionaryEntry.kind.in_(picklists.KINDS), DictionaryEntry.active)
                    .order_by(DictionaryEntry.kind, DictionaryEntry.sort_order, DictionaryEntry.code)).all()
            for kind, code, label in rows:
                picks[kind][code] = label
            self._picks, self._loaded_at = picks, time.monotonic()
        return self._picks
