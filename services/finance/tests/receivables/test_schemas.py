"""The receipt payload contract: what a client may send and what is refused before any I/O."""
import uuid
from datetime import date
from decimal import Decimal

import pytest

from crm_common.errors import InvalidInput
from crm_common.validation import load_body
from crm_finance.receivables.schemas import ReceiptIn


def payload(**overrides):
    return {"receivable_id": str(uuid.uuid4()), "amount": "10.50", "method": "cash", **overrides}


def test_valid_payload_loads_exact_decimal():
    data = load_body(ReceiptIn(), payload(received_on="2026-03-01", currency="CNY"))
    assert data["amount"] == Decimal("10.50")
    assert data["received_on"] == date(2026, 3, 1)


@pytest.mark.parametrize("amount", ["0", "-5", "0.001", "NaN", "Infinity", "1e16", "ten"])
def test_bad_amounts_are_invalid_input(amount):
    with pytest.raises(InvalidInput) as caught:
        load_body(ReceiptIn(), payload(amount=amount))
    assert "amount" in caught.value.errors


def test_trailing_zeros_beyond_cents_are_not_extra_precision():
    assert load_body(ReceiptIn(), payload(amount="10.500"))["amount"] == Decimal("10.5")


@pytest.mark.parametrize("field,value", [("method", "bitcoin"), ("currency", "usd"),
                                         ("received_on", "yesterday"), ("status", "paid")])
def test_bad_or_forbidden_fields_are_rejected(field, value):
    with pytest.raises(InvalidInput) as caught:
        load_body(ReceiptIn(), payload(**{field: value}))
    assert field in caught.value.errors
