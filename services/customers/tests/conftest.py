"""Use-case tests of the customers service on its own database (no broker, no other service)."""
import pytest

from crm_common.testing import clock, use_case_fixtures  # noqa: F401 (clock: a fixture)
from crm_customers.customers import use_cases as customers

service_db, uow, principal_factory, emitted = use_case_fixtures("customers", "crm_customers:migrations")

REP = {"customers.read", "customers.write"}
EVERYTHING = REP | {"customers.delete", "customers.assign", "customers.merge", "customers.export",
                    "customers.import", "customers.admin", "customers.approve_extension"}


@pytest.fixture
def rep(principal_factory):
    """A sales rep who sees and changes their own customers."""
    return principal_factory(permissions=REP, scope="own", username="rep")


@pytest.fixture
def other_rep(principal_factory):
    """A rep of another department of the same branch."""
    return principal_factory(permissions=REP, scope="own", department_path="/d2/", username="other")


@pytest.fixture
def admin(principal_factory):
    return principal_factory(permissions=EVERYTHING, scope="all", username="admin")


@pytest.fixture
def new_customer(uow, rep):
    """Creates a customer owned by `who` (the rep by default)."""
    def create(name="上海天马贸易有限公司", who=None, **fields):
        return customers.create(uow(), who or rep, {"name": name, "confirm_duplicate": True, **fields})
    return create


@pytest.fixture
def customer(new_customer):
    return new_customer()


@pytest.fixture
def user_of():
    """A principal as the gateway resolves a user, for the use cases that name one."""
    def resolve(principal, active=True) -> dict:
        return {"id": principal.user_id, "department_path": principal.department_path,
                "branch": principal.branch, "active": active}
    return resolve
