"""Who the client is behind a proxy, and how fast a guessing pair is slowed (pure logic)."""
import ipaddress

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from crm_gateway import app, settings
from crm_gateway.identity.throttle import delay_seconds


def _request(peer: str, forwarded: str | None = None) -> Request:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return Request(EnvironBuilder(path="/", headers=headers, environ_base={"REMOTE_ADDR": peer}).get_environ())


@pytest.fixture
def behind_proxy(monkeypatch):
    monkeypatch.setattr(settings, "TRUSTED_PROXY_HEADER", "X-Forwarded-For")
    monkeypatch.setattr(settings, "TRUSTED_PROXIES", (ipaddress.ip_network("10.0.0.0/8"),))


def test_without_a_configured_header_the_socket_peer_is_the_client():
    assert app.client_address(_request("10.1.2.3", "203.0.113.7")) == "10.1.2.3"


def test_a_trusted_proxy_names_the_client(behind_proxy):
    assert app.client_address(_request("10.1.2.3", "203.0.113.7")) == "203.0.113.7"
    # what the client itself put in front is ignored: the nearest untrusted hop is the client
    assert app.client_address(_request("10.1.2.3", "1.2.3.4, 203.0.113.7, 10.9.9.9")) == "203.0.113.7"


def test_a_peer_that_is_no_trusted_proxy_cannot_claim_an_address(behind_proxy):
    assert app.client_address(_request("198.51.100.1", "203.0.113.7")) == "198.51.100.1"
    assert app.client_address(_request("10.1.2.3", "not-an-address")) == "not-an-address"


def test_the_delay_doubles_per_failure_of_a_pair_and_is_capped():
    free = settings.LOGIN_FREE_FAILURES
    base = settings.LOGIN_BASE_DELAY_SECONDS
    assert [delay_seconds(n) for n in (0, free - 1, free, free + 1, free + 2)] == [0, 0, base, 2 * base, 4 * base]
    assert delay_seconds(free + 40) == settings.LOGIN_MAX_DELAY_SECONDS
