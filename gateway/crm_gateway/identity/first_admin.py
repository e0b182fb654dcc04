"""Create the first administrator on an empty identity database, and keep the Administrator
role complete (idempotent; runs with every deployment)."""
import os
import secrets

from sqlalchemy import select

from crm_common import config
from crm_common.database import new_id
from crm_gateway.identity.models import Department, Role, User
from crm_gateway.identity.passwords import hash_password
from crm_gateway.identity.permissions import PERMISSIONS


def ensure_admin(session_factory) -> str | None:
    """Returns the generated password if one had to be made up, else None."""
    with session_factory() as session, session.begin():
        role = session.execute(select(Role).where(Role.name == "Administrator")).scalar_one_or_none()
        if role is not None and set(role.permissions) != PERMISSIONS:
            # The Administrator role holds every permission, including those added by new releases.
            role.permissions = sorted(PERMISSIONS)
        if session.execute(select(User.id).where(User.code == "admin")).first():
            return None
        department = session.execute(select(Department).where(Department.parent_id.is_(None))
                                     .order_by(Department.created_at)).scalars().first()
        if department is None:
            department_id = new_id()
            department = Department(id=department_id, name="Head office", path=f"/{department_id}/",
                                    branch=config.branch())
            session.add(department)
        if role is None:
            role = Role(id=new_id(), name="Administrator", permissions=sorted(PERMISSIONS), data_scope="all")
            session.add(role)
        password = os.environ.get("CRM_ADMIN_PASSWORD")
        generated = None
        if not password:
            password = generated = secrets.token_urlsafe(12)
        session.add(User(id=new_id(), code="admin", name="Administrator", department=department,
                         password_hash=hash_password(password), roles=[role], active=True))
    return generated
