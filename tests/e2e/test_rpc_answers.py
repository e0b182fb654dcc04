"""The services' RPC answers go out on one connection kept open between answers, which nothing
reads while the service is idle (crm_common.rpc.ReplyPublisher). The broker closing it meanwhile
— an operator's force-close (the management API's DELETE /api/connections/{name}) or heartbeats
missed — costs the next answer nothing: it is delivered, once, on a new connection."""
import json
import os
import select
import time
import urllib.request
import uuid
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from kombu import Connection, Exchange, Queue
from nameko.constants import AMQP_URI_CONFIG_KEY

from crm_common.rpc import ReplyPublisher
from stack import RABBIT_HOST, RABBIT_MANAGEMENT, _management, reset_vhost
from suite_api import eventually

pytestmark = pytest.mark.e2e


def _connections(vhost: str, name: str, state: str = "running") -> list:
    """The broker's connections in `vhost` named `name` (their client's connection_name) in that
    state. The listing is the management plugin's, refreshed every few seconds: a connection the
    broker closed shows `closed` for a while (it waits for the client's close-ok)."""
    request = urllib.request.Request(f"{RABBIT_MANAGEMENT}/api/vhosts/{quote(vhost, safe='')}/connections")
    request.add_header("Authorization", "Basic Z3Vlc3Q6Z3Vlc3Q=")  # guest:guest, local broker only
    with urllib.request.urlopen(request, timeout=10) as response:
        found = json.loads(response.read())
    return [c["name"] for c in found
            if (c.get("client_properties") or {}).get("connection_name") == name and c.get("state") == state]


def _force_close(vhost: str, name: str) -> list:
    """Close every connection so named as an operator would; their names, once the broker closed them."""
    closing = eventually(lambda: _connections(vhost, name), timeout=15)
    assert closing, f"no connection {name!r} in {vhost}"
    for connection in closing:
        assert _management("DELETE", f"/api/connections/{quote(connection, safe='')}") == 204
    assert eventually(lambda: not set(closing) & set(_connections(vhost, name)), timeout=30)
    return closing


def _hung_up(connection) -> bool:
    """Has the broker hung up this kombu connection's socket? (Polled, nothing read from it.)"""
    poll = select.poll()
    poll.register(connection.connection.sock, select.POLLRDHUP)
    return bool(poll.poll(0))


def test_a_services_answer_connection_closed_while_idle_costs_the_next_request_nothing(stack, admin):
    assert admin.get("/products", params={"limit": 1}).status_code == 200  # sales has answered once: it is open
    closed = _force_close(stack.vhost, "sales rpc answers")
    answered = admin.get("/products", params={"limit": 1})
    # a lost answer would be the gateway's 503 when its RPC timeout ran out
    assert answered.status_code == 200, answered.text
    assert eventually(lambda: set(_connections(stack.vhost, "sales rpc answers")) - set(closed), timeout=15)


@pytest.fixture(scope="module")
def vhost():
    """A vhost of this module's own: the publisher under test is the only client of its broker side."""
    name = f"crm-test{os.environ.get('CRM_TEST_SLOT', '0')}-answers"
    reset_vhost(name, fresh=True)
    yield name
    _management("DELETE", f"/api/vhosts/{quote(name, safe='')}")


@pytest.fixture
def answers(vhost):
    """(publisher, ask, received): a ReplyPublisher as a service holds it, `ask(result)` has it
    answer a request whose reply queue is ours, `received()` what has arrived there since."""
    uri = f"amqp://guest:guest@{RABBIT_HOST}:5672/{quote(vhost, safe='')}"
    publisher = ReplyPublisher()
    publisher.container = SimpleNamespace(config={AMQP_URI_CONFIG_KEY: uri}, service_name=f"answers-{uuid.uuid4().hex[:6]}")
    with Connection(uri) as connection:
        queue = Queue(f"rpc.reply-{uuid.uuid4().hex}", Exchange("nameko-rpc", type="topic", durable=True),
                      exclusive=True)(connection.channel())
        queue.routing_key = queue.name
        queue.declare()

        def ask(result) -> str:
            correlation_id = str(uuid.uuid4())
            publisher.send(SimpleNamespace(properties={"content_type": "application/json", "reply_to": queue.name,
                                                       "correlation_id": correlation_id}), result, None)
            return correlation_id

        def received() -> list:
            got = []
            while (message := queue.get(no_ack=True)) is not None:
                got.append((message.properties["correlation_id"], json.loads(message.body)["result"]))
            return got
        yield publisher, ask, received
        publisher.stop()


@pytest.mark.parametrize("closed_by", ["operator", "missed heartbeats"])
def test_an_answer_after_the_broker_closed_the_idle_connection_arrives_once(answers, vhost, closed_by):
    publisher, ask, received = answers
    if closed_by == "missed heartbeats":
        publisher.HEARTBEAT = 1  # the broker gives up on a silent client after about two of them
    publisher.setup()
    first = ask({"n": 1})
    assert eventually(received, timeout=10) == [(first, {"n": 1})]
    name = publisher.container.service_name + " rpc answers"
    idle = publisher._connection
    if closed_by == "operator":
        _force_close(vhost, name)
    else:  # too young to be in the management listing yet: the socket says when the broker hung up
        assert eventually(lambda: _hung_up(idle), timeout=30, interval=0.2)

    second = ask({"n": 2})
    assert eventually(received, timeout=10) == [(second, {"n": 2})]
    assert publisher._connection is not idle and publisher._connection.connected  # a new connection
    time.sleep(1)  # a copy written again would be here by now
    third = ask({"n": 3})
    assert eventually(received, timeout=10) == [(third, {"n": 3})]
