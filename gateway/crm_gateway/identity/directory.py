"""Departments, roles and users (ADM-02, ADM-03): the organisation the data scope is built on.

Admins whose scope is narrower than `all` manage only their own branch, and grant nothing
beyond what they hold themselves: no permission they lack, no scope wider than theirs.
"""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm_common import config, field_policy
from crm_common.database import new_id
from crm_common.errors import Conflict, Forbidden, InvalidInput, NotFound
from crm_common.principal import SCOPES, Principal
from crm_common.records import is_uuid
from crm_common.pagination import keyset_page
from crm_common.validation import load_body, load_query
from crm_gateway.identity.models import Department, Role, User
from crm_gateway.identity.passwords import hash_password
from crm_gateway.identity.revocation import revoke_tokens
from crm_gateway.identity.schemas import (DepartmentIn, DepartmentMoveIn, DepartmentOut, DepartmentUpdate, RoleIn, RoleOut,
                                          UserIn, UserListQuery, UserOut, UserUpdate)


def _branch_filter(principal: Principal, department_branch_column):
    return () if principal.scope == "all" else (department_branch_column == principal.branch,)


def _get(session, model, record_id, principal, label, branch_of=None, lock=False):
    locking = {"with_for_update": {"of": model}} if lock else {}
    record = session.get(model, str(record_id), **locking) if is_uuid(record_id) else None
    if record is None or (branch_of and principal.scope != "all" and branch_of(record) != principal.branch):
        raise NotFound(f"{label} not found")
    return record


def _within_own(principal: Principal, role: Role) -> None:
    """Otherwise a branch admin could write a role with scope `all` and take it: head office at
    will (found by the authorization matrix, issue 7)."""
    if principal.scope == "all":
        return
    widest = max([role.data_scope, *(role.scope_overrides or {}).values()], key=SCOPES.index)
    if SCOPES.index(widest) > SCOPES.index(principal.scope) or set(role.permissions) - principal.permissions:
        raise Forbidden(f"Role {role.name} grants more than you hold")


def _unique(fn):
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except IntegrityError:
            raise Conflict("A record with this name or code already exists") from None
    return wrapper


# --- departments -------------------------------------------------------------------------

def create_department(session_factory, principal: Principal, payload) -> dict:
    principal.require("admin.departments")
    data = load_body(DepartmentIn(), payload)
    with session_factory() as session, session.begin():
        department_id = new_id()
        if data["parent_id"] is not None:
            parent = _get(session, Department, data["parent_id"], principal, "Parent department",
                          branch_of=lambda d: d.branch)
            path, branch = f"{parent.path}{department_id}/", parent.branch
        else:
            path, branch = f"/{department_id}/", data.get("branch") or config.branch()
            if principal.scope != "all" and branch != principal.branch:
                raise InvalidInput("Cannot create a department in another branch",
                                   {"branch": ["Outside your branch."]})
        department = Department(id=department_id, name=data["name"], path=path, branch=branch,
                                parent_id=str(data["parent_id"]) if data["parent_id"] else None)
        session.add(department)
        session.flush()
        return DepartmentOut().dump(department)


def update_department(session_factory, principal: Principal, department_id, payload) -> dict:
    principal.require("admin.departments")
    data = load_body(DepartmentUpdate(), payload)
    with session_factory() as session, session.begin():
        department = _get(session, Department, department_id, principal, "Department",
                          branch_of=lambda d: d.branch)
        department.name = data["name"]
        return DepartmentOut().dump(department)


def move_department(session_factory, principal: Principal, department_id, payload, announce) -> dict:
    """Move a department under another one; every path below it changes (ADM-02).

    `announce(move)` asks the customers service to rewrite its records and tell every other
    service (crm_common.department_moves) while this transaction is still open: if it fails, the
    tree stays as it was; if this commit fails after it, a retry rewrites the same prefix again,
    which changes nothing twice. Users under the department get new tokens (the path is a claim)."""
    principal.require("admin.departments")
    data = load_body(DepartmentMoveIn(), payload)
    with session_factory() as session, session.begin():
        department = _get(session, Department, department_id, principal, "Department",
                          branch_of=lambda d: d.branch, lock=True)
        parent = session.get(Department, str(data["parent_id"]))
        if parent is None or (principal.scope != "all" and parent.branch != principal.branch):
            raise InvalidInput("Unknown department", {"parent_id": ["No such department."]})
        if parent.path.startswith(department.path):
            raise InvalidInput("A department cannot move under itself or its descendants",
                               {"parent_id": ["Inside the department being moved."]})
        if parent.branch != department.branch:
            raise InvalidInput("A department stays in its branch", {"parent_id": ["In another branch."]})
        from_path, to_path = department.path, f"{parent.path}{department.id}/"
        if from_path != to_path:
            subtree = session.execute(select(Department).where(Department.path.startswith(from_path, autoescape=True))
                                      .order_by(Department.path).with_for_update()).scalars().all()
            # the new paths hold the moved department's own id, so none can collide with an old one
            for node in subtree:
                node.path = to_path + node.path[len(from_path):]
            department.parent_id = parent.id
            session.flush()
            for user_id in session.execute(select(User.id).where(
                    User.department_id.in_([d.id for d in subtree]))).scalars():
                revoke_tokens(session, user_id)
            announce({"department_id": department.id, "parent_id": parent.id, "from_path": from_path,
                      "to_path": to_path, "branch": department.branch})
        return DepartmentOut().dump(department)


def list_departments(session_factory, principal: Principal) -> dict:
    principal.require("admin.departments")
    with session_factory() as session:
        rows = session.execute(select(Department).where(*_branch_filter(principal, Department.branch))
                               .order_by(Department.path)).scalars().all()
        return {"items": DepartmentOut(many=True).dump(rows), "next_cursor": None}


def get_department(session_factory, principal: Principal, department_id) -> dict:
    principal.require("admin.departments")
    with session_factory() as session:
        return DepartmentOut().dump(_get(session, Department, department_id, principal, "Department",
                                         branch_of=lambda d: d.branch))


# --- roles -------------------------------------------------------------------------------

@_unique
def create_role(session_factory, principal: Principal, payload) -> dict:
    principal.require("admin.roles")
    data = load_body(RoleIn(), payload)
    with session_factory() as session, session.begin():
        role = Role(id=new_id(), name=data["name"], permissions=sorted(set(data["permissions"])),
                    data_scope=data["data_scope"], scope_overrides=data["scope_overrides"],
                    field_rules=field_policy.normalised(data["field_rules"]))
        _within_own(principal, role)
        session.add(role)
        session.flush()
        return RoleOut().dump(role)


@_unique
def update_role(session_factory, principal: Principal, role_id, payload) -> dict:
    principal.require("admin.roles")
    data = load_body(RoleIn(), payload, partial=True)
    with session_factory() as session, session.begin():
        role = _get(session, Role, role_id, principal, "Role")
        _within_own(principal, role)  # shared by every branch: a role above one's own is not one's to edit
        caller = session.get(User, principal.user_id)
        if caller is not None and role in caller.roles:
            _refuse_own(data, ("permissions", "data_scope", "scope_overrides", "field_rules"), "a role you hold")
        for key, value in data.items():
            if key == "field_rules":
                role.field_rules = field_policy.normalised(value)
            else:
                setattr(role, key, sorted(set(value)) if key == "permissions" else value)
        _within_own(principal, role)
        session.flush()
        return RoleOut().dump(role)


_BODY_KEYS = {"field_rules": "fields"}  # loaded name → the body's key (RoleIn's data_key)


def _refuse_own(data: dict, fields: tuple, what: str) -> None:
    """An administrator cannot lock themselves out, and a stolen session cannot make itself a new
    password without the current one (that is POST /auth/password)."""
    refused = sorted(data.keys() & set(fields))
    if refused:
        raise InvalidInput(f"Another administrator changes this on {what}",
                           {_BODY_KEYS.get(field, field): [f"Cannot be changed on {what}."] for field in refused})


def list_roles(session_factory, principal: Principal) -> dict:
    principal.require("admin.roles")
    with session_factory() as session:
        rows = session.execute(select(Role).order_by(Role.name)).scalars().all()
        return {"items": RoleOut(many=True).dump(rows), "next_cursor": None}


def get_role(session_factory, principal: Principal, role_id) -> dict:
    principal.require("admin.roles")
    with session_factory() as session:
        return RoleOut().dump(_get(session, Role, role_id, principal, "Role"))


# --- users -------------------------------------------------------------------------------

def _department_for(session, principal, department_id) -> Department:
    department = session.get(Department, str(department_id))
    if department is None or (principal.scope != "all" and department.branch != principal.branch):
        raise InvalidInput("Unknown department", {"department_id": ["No such department."]})
    return department


def _roles_for(session, principal, role_ids) -> list[Role]:
    ids = {str(i) for i in role_ids}
    roles = session.execute(select(Role).where(Role.id.in_(ids))).scalars().all()
    if len(roles) != len(ids):
        raise InvalidInput("Unknown role", {"role_ids": ["One or more roles do not exist."]})
    for role in roles:
        _within_own(principal, role)
    return list(roles)


def _manager_for(session, user_id: str, manager_id) -> str | None:
    """A direct superior (直属上级) is another user, and following superiors never comes back round."""
    if manager_id is None:
        return None
    manager, seen = session.get(User, str(manager_id)), {user_id}
    if manager is None:
        raise InvalidInput("Unknown manager", {"manager_id": ["No such user."]})
    current = manager
    while current is not None:
        if current.id in seen:
            raise InvalidInput("Superiors would go round in a circle",
                               {"manager_id": ["This user is already above-or-equal in that chain."]})
        seen.add(current.id)
        current = session.get(User, current.manager_id) if current.manager_id else None
    return manager.id


def approval_person(user: User) -> dict:
    """What the sales approval engine keeps of a user (its people), sent whenever a user is saved."""
    return {"user_id": user.id, "branch": user.department.branch, "manager_id": user.manager_id,
            "role_ids": sorted(role.id for role in user.roles), "active": user.active}


@_unique
def create_user(session_factory, principal: Principal, payload, on_saved=None) -> dict:
    """`on_saved(person)` runs before the commit: a user the approval engine cannot hear of is not saved."""
    principal.require("admin.users")
    data = load_body(UserIn(), payload)
    with session_factory() as session, session.begin():
        user_id = new_id()
        user = User(id=user_id, code=data["code"], name=data["name"], active=data["active"],
                    position=data.get("position"),
                    department=_department_for(session, principal, data["department_id"]),
                    password_hash=hash_password(data["password"]),
                    roles=_roles_for(session, principal, data["role_ids"]),
                    manager_id=_manager_for(session, user_id, data["manager_id"]))
        session.add(user)
        session.flush()
        if on_saved:
            on_saved(approval_person(user))
        return UserOut().dump(user)


@_unique
def update_user(session_factory, principal: Principal, user_id, payload, on_saved=None) -> dict:
    principal.require("admin.users")
    data = load_body(UserUpdate(), payload)
    with session_factory() as session, session.begin():
        # locked: two renames at once would both rewrite the user's search keys (a duplicate key)
        user = _get(session, User, user_id, principal, "User", branch_of=lambda u: u.department.branch, lock=True)
        if user.id == principal.user_id:
            _refuse_own(data, ("department_id", "role_ids", "password", "active"), "your own account")
        if "department_id" in data:
            user.department = _department_for(session, principal, data["department_id"])
        if "role_ids" in data:
            user.roles = _roles_for(session, principal, data["role_ids"])
        if "password" in data:
            user.password_hash = hash_password(data["password"])
        for key in ("name", "active", "position"):
            if key in data:
                setattr(user, key, data[key])
        if "manager_id" in data:
            user.manager_id = _manager_for(session, user.id, data["manager_id"])
        if data.keys() & {"department_id", "role_ids", "password", "active"}:
            revoke_tokens(session, user.id)  # their tokens carry the old claims, or they left
        session.flush()
        if on_saved and data.keys() & {"department_id", "role_ids", "active", "manager_id"}:
            on_saved(approval_person(user))
        return UserOut().dump(user)


def approval_people(session_factory, principal: Principal) -> dict:
    """Every user of the caller's branch (all branches for a head-office admin), per branch."""
    principal.require("admin.users")
    with session_factory() as session:
        users = session.execute(select(User).join(User.department)
                                .where(*_branch_filter(principal, Department.branch))).scalars().all()
        people = {}
        for user in users:
            people.setdefault(user.department.branch, []).append(approval_person(user))
        return people


USER_SORTS = {"code": User.code, "name": User.name, "created_at": User.created_at}


def list_users(session_factory, principal: Principal, query) -> dict:
    principal.require("admin.users")
    q = load_query(UserListQuery(), query)
    stmt = select(User).join(User.department).where(*_branch_filter(principal, Department.branch))
    if "department_id" in q:
        stmt = stmt.where(User.department_id == str(q["department_id"]))
    if "active" in q:
        stmt = stmt.where(User.active.is_(q["active"]))
    with session_factory() as session:
        rows, cursor = keyset_page(session, stmt, User.id, q, USER_SORTS, "code")
        return {"items": UserOut(many=True).dump(rows), "next_cursor": cursor}


def get_user(session_factory, principal: Principal, user_id) -> dict:
    principal.require("admin.users")
    with session_factory() as session:
        return UserOut().dump(_get(session, User, user_id, principal, "User",
                                   branch_of=lambda u: u.department.branch))
