"""The one call sales makes to another service: its timeout and what a missing customer means."""
import eventlet
import pytest

from crm_common.errors import InvalidInput, NotFound, Unavailable
from crm_sales import clients


class Customers:
    """Stands in for Nameko's proxy to the customers service."""

    def __init__(self, delay=0.0):
        self.delay = delay

    def get_customer(self, customer_id):
        eventlet.sleep(self.delay)
        return {"id": customer_id, "name": "上海天马贸易有限公司"}


def _client(delay):
    client = clients.CustomersClient()
    client.customers = Customers(delay)
    return client


def test_an_answer_in_time_is_the_customer():
    assert _client(0).lookup_customer("c1")["id"] == "c1"


def test_customers_not_answering_in_time_is_a_503_not_a_hang(monkeypatch):
    monkeypatch.setattr(clients, "CUSTOMERS_TIMEOUT_SECONDS", 0.05)
    with pytest.raises(Unavailable, match="customers"):
        _client(1.0).lookup_customer("c1")


def test_a_customer_the_caller_cannot_see_is_invalid_input_of_the_document():
    def lookup(customer_id):
        raise NotFound("Customer not found")
    with pytest.raises(InvalidInput) as refused:
        clients.visible_customer(lookup, "c1")
    assert refused.value.errors == {"customer_id": ["No such customer in your scope."]}
