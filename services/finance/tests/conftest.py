import json
import uuid
from decimal import Decimal

import pytest

from crm_common.events.catalog import build_envelope, parse_envelope
from crm_common.testing import clock, use_case_fixtures  # noqa: F401 (clock: a fixture)
from crm_finance.invoicing import handlers as invoicing
from crm_finance.receivables import handlers as receivables
from crm_finance.receivables import queries as receivable_queries

service_db, uow, principal_factory, emitted = use_case_fixtures("finance", "crm_finance:migrations")


@pytest.fixture
def delivered():
    """An event's data as a handler receives it: validated by the catalog, through JSON and back."""
    def deliver(name: str, data: dict) -> dict:
        return parse_envelope(json.loads(json.dumps(build_envelope(name, data, "HQ", None))))[1]
    return deliver


@pytest.fixture
def open_receivable(uow, delivered):
    """An approved order whose shipment was allowed: finance keeps its lines and opens what is owed.

    Returns the receivable as finance answers it; `lines` are the order lines' amounts."""
    def open_(owner, lines=("600.00", "400.00"), terms=30, currency="CNY") -> dict:
        order_id, customer_id = str(uuid.uuid4()), str(uuid.uuid4())
        scope = {"owner_id": owner.user_id, "department_path": owner.department_path, "branch": owner.branch}
        total = str(sum(Decimal(amount) for amount in lines))
        approved = delivered("sales.order_approved", {
            "order_id": order_id, "number": f"SO-HQ-2026-{uuid.uuid4().int % 10**6:06d}",
            "customer_id": customer_id, "total": total, "currency": currency, "payment_terms_days": terms,
            "approved_by": str(uuid.uuid4()), **scope,
            "lines": [{"line_id": str(uuid.uuid4()), "product_id": str(uuid.uuid4()), "product_name": f"P{i}",
                       "quantity": "1", "unit_price": amount, "amount": amount} for i, amount in enumerate(lines)]})
        allowed = delivered("logistics.shipment_allowed", {
            "fulfilment_id": str(uuid.uuid4()), "order_id": order_id, "order_number": approved["number"],
            "customer_id": customer_id, "total": total, "currency": currency, "payment_terms_days": terms,
            **scope})
        with uow() as unit:
            invoicing.record_order_lines(unit, approved)
            receivables.open_for_shipment(unit, allowed)
        [item] = receivable_queries.list_(uow(), owner, {"order_id": order_id})["items"]
        return item
    return open_
