"""Team members (团队成员, issue 17): users who work on a record besides its owner.

Each service keeps the members of its own records in one `team_members` table (kind, record id,
user, access, expiry), beside the records, so that the data scope the gateway signs into the
principal is widened by membership inside the very statement that reads the records: no second
round trip, no list of ids in the principal. `visible` is the scope condition every read path of
a record kind uses (get, list, name search, export), `visible` with write=True the one its
changes use. Pure rules (access, expiry in the branch's days) are in crm_common.team_rules.

The membership half of the condition is `id = ANY(ARRAY(SELECT record_id FROM team_members
WHERE user_id = … AND kind = …))`: PostgreSQL runs the inner select once (an InitPlan on the
user's index) and the outer comparison stays an index condition on the record's primary key.
A list keeps its keyset index range by paging the two halves separately (`either`, in
crm_common.pagination.keyset_page): an OR of both would read every record of the scope.
"""
from sqlalchemy import (Column, DateTime, Index, MetaData, PrimaryKeyConstraint, String, Table, Uuid, and_, any_,
                        delete, false, func, not_, or_, select, update)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from marshmallow import fields, validate

from crm_common import branch_time, clock, team_rules
from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_common.events.handlers import handles
from crm_common.principal import Principal, in_scope, scope_condition, scope_shape, scope_values
from crm_common.validation import ResolvedUser, StrictSchema, load_body


def team_members_table(metadata: MetaData) -> Table:
    return Table(
        "team_members", metadata,
        Column("kind", String(30), nullable=False),
        Column("record_id", Uuid(as_uuid=False), nullable=False),
        Column("user_id", Uuid(as_uuid=False), nullable=False),
        Column("access", String(20), nullable=False),
        Column("expires_at", DateTime(timezone=True)),
        Column("added_by", Uuid(as_uuid=False), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("kind", "record_id", "user_id"),
        # the records a user is a member of: the InitPlan of every scoped read
        Index("ix_team_members_user", "user_id", "kind", "record_id"),
    )


def create_team_members_table(bind) -> None:
    """For each service's migration: the table as team_members_table describes it."""
    team_members_table(MetaData()).create(bind)


def drop_team_members_table(bind) -> None:
    team_members_table(MetaData()).drop(bind)


# --- the scope, widened --------------------------------------------------------------------------

def member_of(table: Table, kind: str, id_column, user_id: str, write: bool = False):
    """The record lists `user_id` as a live member (with read-write access if `write`)."""
    if not user_id:
        return false()
    return member_condition(table, kind, id_column, {"team_user": user_id, "team_now": clock.now()}.__getitem__,
                            write)


def member_condition(table: Table, kind: str, id_column, value, write: bool = False):
    """member_of with `value(name)` for the user ("team_user") and the instant ("team_now"):
    the values themselves, or bind parameters of a statement built once (crm_common.principal)."""
    conditions = [table.c.user_id == value("team_user"), table.c.kind == kind,
                  or_(table.c.expires_at.is_(None), table.c.expires_at > value("team_now"))]
    if write:
        conditions.append(table.c.access == team_rules.READ_WRITE)
    ids = func.array(select(table.c.record_id).where(*conditions).scalar_subquery(),
                     type_=ARRAY(Uuid(as_uuid=False)))
    return id_column == any_(ids)


def visible(principal: Principal, model, table: Table, kind: str, permission: str | None = None,
            write: bool = False):
    """Records of `model` in the caller's scope for `permission`, or that list them as a member."""
    return visible_shape(scope_shape(principal, permission), model, table, kind, shape_values(principal).__getitem__,
                         write)


def visible_shape(shape: str, model, table: Table, kind: str, value, write: bool = False):
    """`visible` for a scope of `shape`, `value(name)` as in `halves`."""
    scope = scope_condition(shape, model, value)
    if shape in ("all", "nobody"):
        return scope
    return or_(scope, member_condition(table, kind, model.id, value, write))


def either(principal: Principal, model, table: Table, kind: str, permission: str | None = None):
    """The two disjoint halves of `visible` for a keyset list (each an index range of its own),
    or None when the scope alone says it (everything, or nothing)."""
    return halves(scope_shape(principal, permission), model, table, kind, shape_values(principal).__getitem__)


def halves(shape: str, model, table: Table, kind: str, value):
    """`either` for a scope of `shape` (crm_common.principal.scope_shape), `value(name)` as in
    member_condition and scope_condition."""
    if shape in ("all", "nobody"):
        return None
    scope = scope_condition(shape, model, value)
    return scope, and_(member_condition(table, kind, model.id, value), not_(scope))


def shape_values(principal: Principal) -> dict:
    """What `halves` and `member_condition` compare with, for this caller and now."""
    return {**scope_values(principal), "team_user": principal.user_id, "team_now": clock.now()}


# --- the members of one record -------------------------------------------------------------------

class MemberIn(StrictSchema):
    """Add a member, or change one's access and expiry (the same call: PUT by user)."""
    user = fields.Nested(ResolvedUser, required=True)  # resolved by the gateway, never client input
    access = fields.String(required=True, validate=validate.OneOf(team_rules.ACCESS))
    expires_on = fields.Date(load_default=None, allow_none=True)


class MemberOut(StrictSchema):
    user_id = fields.String()
    access = fields.String()
    expires_on = fields.Date(allow_none=True)
    expires_at = fields.AwareDateTime(allow_none=True)
    live = fields.Boolean()
    added_by = fields.String()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


def may_manage(principal: Principal, record, permission: str) -> bool:
    """The owner, or whoever's own scope for `permission` covers the record (their manager);
    a member, even a read-write one, does not choose the team."""
    return in_scope(principal, record.owner_id, record.department_path, record.branch, permission)


def require_manager(principal: Principal, record, permission: str) -> None:
    if not may_manage(principal, record, permission):
        raise Forbidden("Only the owner or a manager whose scope covers the record chooses its team")


def members(session, table: Table, kind: str, record_id: str) -> list[dict]:
    rows = session.execute(select(table).where(table.c.kind == kind, table.c.record_id == record_id)
                           .order_by(table.c.created_at, table.c.user_id)).mappings().all()
    return [_out(row) for row in rows]


def _out(row) -> dict:
    zone, now = branch_time.zone(), clock.now()
    return MemberOut().dump({**row, "expires_on": team_rules.expiry_day(row["expires_at"], zone),
                             "live": team_rules.is_live(row["expires_at"], now)})


def put_member(session, table: Table, kind: str, record, principal: Principal, payload) -> dict:
    """Add the member or change their access and expiry (idempotent: the same body twice is one
    membership). The caller must manage the record (require_manager) before calling."""
    data = load_body(MemberIn(), payload)
    user = data["user"]
    if not user["active"]:
        raise InvalidInput("The member is not an active user", {"user_id": ["Inactive or unknown user."]})
    errors = team_rules.membership_errors(member_id=user["id"], owner_id=record.owner_id,
                                          expires_on=data["expires_on"], today=branch_time.current_day())
    if errors:
        raise InvalidInput("Invalid team member", errors)
    return upsert(session, table, kind, record.id, user["id"], data["access"],
                  team_rules.expiry_instant(data["expires_on"], branch_time.zone()), principal.user_id)


def upsert(session, table: Table, kind: str, record_id: str, user_id: str, access: str, expires_at,
           added_by: str) -> dict:
    values = {"kind": kind, "record_id": record_id, "user_id": user_id, "access": access,
              "expires_at": expires_at, "added_by": added_by}
    stmt = pg_insert(table).values(**values)
    row = session.execute(stmt.on_conflict_do_update(
        index_elements=["kind", "record_id", "user_id"],
        set_={"access": stmt.excluded.access, "expires_at": stmt.excluded.expires_at, "updated_at": func.now()})
        .returning(*table.c)).mappings().one()
    return _out(row)


def remove_member(session, table: Table, kind: str, record_id: str, user_id: str) -> None:
    gone = session.execute(delete(table).where(table.c.kind == kind, table.c.record_id == record_id,
                                               table.c.user_id == str(user_id))).rowcount
    if not gone:
        raise NotFound("Team member not found")


def keep_previous_owner(session, table: Table, kind: str, record_ids, previous_owner_id: str, access: str,
                        actor_id: str) -> None:
    """After a transfer: the old owner stays on the records as a member with `access` (no expiry)."""
    for record_id in record_ids:
        upsert(session, table, kind, record_id, previous_owner_id, access, None, actor_id)


# --- the use cases every kind shares (the service passes its record's scoped `find`) -------------

def list_use_case(uow, principal: Principal, record_id, *, find, table: Table, kind: str, read: str) -> list:
    """Whoever sees the record (a member too) sees its team."""
    principal.require(read)
    with uow:
        record = find(uow.session, principal, record_id)
        return members(uow.session, table, kind, record.id)


def put_use_case(uow, principal: Principal, record_id, payload, *, find, table: Table, kind: str,
                 write: str) -> dict:
    principal.require(write)
    with uow:
        record = find(uow.session, principal, record_id)  # out of sight: 404; visible, not managed: 403
        require_manager(principal, record, write)
        return put_member(uow.session, table, kind, record, principal, payload)


def remove_use_case(uow, principal: Principal, record_id, user_id, *, find, table: Table, kind: str,
                    write: str) -> None:
    principal.require(write)
    with uow:
        record = find(uow.session, principal, record_id)
        require_manager(principal, record, write)
        remove_member(uow.session, table, kind, record.id, user_id)


# --- a customer's transfer carries its related records ---------------------------------------------

def carry_along(session, table: Table, carried: dict, data: dict) -> dict[str, int]:
    """Move the previous owner's records of the transferred customer ({kind: model}) to the new
    owner, and keep the previous owner on them as a member if the transfer said so; the counts."""
    counts = {}
    moved_to = {key: data[key] for key in ("owner_id", "department_path", "branch")}
    for kind, model in carried.items():
        ids = session.execute(update(model).where(model.customer_id == data["customer_id"],
                                                  model.owner_id == data["previous_owner_id"])
                              .values(moved_to).returning(model.id)
                              .execution_options(synchronize_session=False)).scalars().all()
        session.execute(delete(table).where(table.c.kind == kind, table.c.record_id.in_(ids),
                                            table.c.user_id == data["owner_id"]))
        if data.get("previous_owner_access"):
            keep_previous_owner(session, table, kind, ids, data["previous_owner_id"], data["previous_owner_access"],
                                data["changed_by"])
        counts[kind] = len(ids)
    return counts


class FollowsCustomerTransfers:
    """Mixed into a service whose records belong to customers: `team_table` and `carried`
    ({kind: model with customer_id and the owned columns}) say what a transfer that carries the
    related records moves. Idempotent like every handler: a redelivered event moves nothing twice."""
    team_table: Table
    carried: dict

    @handles("customers.owner_changed")
    def on_customer_owner_changed(self, uow, envelope, data):
        if data.get("carry_related") and not data["in_pool"]:
            carry_along(uow.session, self.team_table, self.carried, data)
