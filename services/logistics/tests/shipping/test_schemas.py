"""The shipment payload contract: what a client may send and what is refused before any I/O."""
import uuid
from decimal import Decimal

import pytest

from crm_common.errors import InvalidInput
from crm_common.validation import load_body
from crm_logistics.shipping.schemas import ShipmentIn


def payload(**overrides):
    body = {"fulfilment_id": str(uuid.uuid4()),
            "lines": [{"fulfilment_line_id": str(uuid.uuid4()), "quantity": "2.5"}]}
    return {**body, **overrides}


def test_valid_payload_loads_decimals():
    data = load_body(ShipmentIn(), payload(freight_fee="12.30"))
    assert data["lines"][0]["quantity"] == Decimal("2.5")
    assert data["freight_fee"] == Decimal("12.30")


@pytest.mark.parametrize("quantity", ["0", "-1", "1.0001", "NaN", "abc", "100000000000"])
def test_bad_quantities_are_invalid_input(quantity):
    body = payload(lines=[{"fulfilment_line_id": str(uuid.uuid4()), "quantity": quantity}])
    with pytest.raises(InvalidInput) as caught:
        load_body(ShipmentIn(), body)
    assert "quantity" in caught.value.errors["lines"][0]


def test_a_line_listed_twice_is_rejected():
    line = {"fulfilment_line_id": str(uuid.uuid4()), "quantity": "1"}
    with pytest.raises(InvalidInput) as caught:
        load_body(ShipmentIn(), payload(lines=[line, dict(line)]))
    assert caught.value.errors == {"lines": {1: {"fulfilment_line_id": ["Listed more than once."]}}}


@pytest.mark.parametrize("lines", [[], [{"fulfilment_line_id": str(uuid.uuid4()), "quantity": "1"}] * 201])
def test_line_count_is_bounded(lines):
    with pytest.raises(InvalidInput):
        load_body(ShipmentIn(), payload(lines=lines))


@pytest.mark.parametrize("field", ["status", "number", "owner_id", "branch"])
def test_server_fields_cannot_be_set(field):
    with pytest.raises(InvalidInput):
        load_body(ShipmentIn(), payload(**{field: "x"}))


def test_negative_freight_fee_is_rejected():
    with pytest.raises(InvalidInput):
        load_body(ShipmentIn(), payload(freight_fee="-0.01"))
