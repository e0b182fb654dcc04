import uuid

import pytest

from crm_common.errors import NotFound
from crm_common.testing import clock, use_case_fixtures  # noqa: F401 (clock: a fixture)
from crm_sales.catalog import use_cases as catalog

service_db, uow, principal_factory, emitted = use_case_fixtures("sales", "crm_sales:migrations")

SALES_PERMISSIONS = {
    "orders.write", "orders.read", "products.write", "products.read", "contracts.write", "contracts.read",
    "opportunities.write", "opportunities.read", "competitors.write", "campaigns.write", "campaigns.read",
    "targets.write",
}


class FakeCustomers:
    """Stands in for the customers service: the customers the caller may see, by id."""

    def __init__(self):
        self.known = {}

    def add(self, name="上海天马贸易有限公司", **extra) -> dict:
        customer = {"id": str(uuid.uuid4()), "name": name, "value_level": None, "kind": "company", **extra}
        self.known[customer["id"]] = customer
        return customer

    def __call__(self, customer_id):
        if customer_id not in self.known:
            raise NotFound("Customer not found")
        return self.known[customer_id]


@pytest.fixture
def customers():
    return FakeCustomers()


@pytest.fixture
def customer(customers):
    return customers.add()


@pytest.fixture
def rep(principal_factory):
    """A sales rep of department /d1/ who sees their own records."""
    return principal_factory(permissions=SALES_PERMISSIONS, scope="own")


@pytest.fixture
def approver(principal_factory):
    """The head of /d1/: approves what the department submits, sees the department's records."""
    return principal_factory(permissions=SALES_PERMISSIONS | {"orders.approve", "contracts.approve"},
                             scope="department")


@pytest.fixture
def product(uow, rep):
    return catalog.create_product(uow(), rep, {"code": "P-1", "name": "打印机", "list_price": "1999.50"})
