"""The directory every signed-in user reads (ADM-16): colleagues and departments of the caller's
branch, so that every screen shows names and every picker works for a plain rep.

No admin permission: a name, a code, a department and a position are what colleagues know of each
other anyway. Nothing else of a user (roles, login state) is shown here; /users stays for admins.
"""
from sqlalchemy import select

from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_gateway.identity.models import Department, User, UserSearchKey
from crm_gateway.identity.schemas import DirectoryDepartmentOut, DirectoryUserOut, DirectoryUserQuery

SORTS = {"code": User.code, "name": User.name}


def list_users(session_factory, principal: Principal, query) -> dict:
    q = load_query(DirectoryUserQuery(), query)
    stmt = select(User).join(User.department).where(Department.branch == principal.branch)
    if "q" in q:
        # search_keys.py stores every key lower-case: a prefix of one of them is a match
        matching = select(UserSearchKey.user_id).where(
            UserSearchKey.key.startswith(q["q"].strip().lower(), autoescape=True))
        stmt = stmt.where(User.id.in_(matching))
    if "department_id" in q:
        stmt = stmt.where(User.department_id == str(q["department_id"]))
    if "active" in q:
        stmt = stmt.where(User.active.is_(q["active"]))
    with session_factory() as session:
        rows, cursor = keyset_page(session, stmt, User.id, q, SORTS, "code")
        return {"items": DirectoryUserOut(many=True).dump(rows), "next_cursor": cursor}


def list_departments(session_factory, principal: Principal) -> dict:
    """The whole tree of the branch, flat and ordered by path: parents before their children."""
    with session_factory() as session:
        rows = session.execute(select(Department).where(Department.branch == principal.branch)
                               .order_by(Department.path)).scalars().all()
        return {"items": DirectoryDepartmentOut(many=True).dump(rows), "next_cursor": None}
