"""Every call the sales service makes to another service, with its timeout and what happens when
the other side does not answer. Services talk by events; a synchronous call is only for a read
that must be fresh.

customers.get_customer: does this customer exist, and may the caller see it? Asked as the caller
(the signed principal travels in the context data), before anything is written. If customers
does not answer within CUSTOMERS_TIMEOUT_SECONDS (down, or its queue backed up), the use case is
refused with 503 Unavailable and nothing is written: selling to a customer nobody could check is
worse than asking again. The timeout is half the gateway's default RPC timeout, so the caller
hears that customers is the one missing rather than a generic "sales did not answer".
"""
import eventlet
from nameko.rpc import RpcProxy

from crm_common.errors import InvalidInput, NotFound, Unavailable

CUSTOMERS_TIMEOUT_SECONDS = 5.0


class CustomersClient:
    """Mixed into the service; use cases get `lookup_customer` and stay free of Nameko."""
    customers = RpcProxy("customers")

    def lookup_customer(self, customer_id) -> dict:
        try:
            with eventlet.Timeout(CUSTOMERS_TIMEOUT_SECONDS):
                return self.customers.get_customer(customer_id)
        except eventlet.Timeout:
            raise Unavailable("The customers service did not answer in time; try again") from None


def visible_customer(customer_lookup, customer_id) -> dict:
    """The customer as the caller sees it; one they cannot see is invalid input, not a 404 of
    the document being written."""
    try:
        return customer_lookup(str(customer_id))
    except NotFound:
        raise InvalidInput("Unknown customer", {"customer_id": ["No such customer in your scope."]}) from None
