"""X-Forwarded-For / -Proto are believed from CRM_TRUSTED_PROXIES only (pure logic, no server)."""
import pytest

from crm_common.config import ConfigError
from crm_gateway.proxies import HSTS, TrustedProxies


def resolved(monkeypatch, trusted: str, remote: str, forwarded_for: str | None = None,
             proto: str | None = None) -> dict:
    monkeypatch.setenv("CRM_TRUSTED_PROXIES", trusted)
    environ = {"REMOTE_ADDR": remote, "wsgi.url_scheme": "http"}
    if forwarded_for is not None:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded_for
    if proto is not None:
        environ["HTTP_X_FORWARDED_PROTO"] = proto
    TrustedProxies.from_env().resolve(environ)
    return environ


def test_nobody_is_trusted_by_default(monkeypatch):
    monkeypatch.delenv("CRM_TRUSTED_PROXIES", raising=False)
    environ = {"REMOTE_ADDR": "10.0.0.5", "wsgi.url_scheme": "http",
               "HTTP_X_FORWARDED_FOR": "203.0.113.7", "HTTP_X_FORWARDED_PROTO": "https"}
    TrustedProxies.from_env().resolve(environ)
    assert (environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]) == ("10.0.0.5", "http")


def test_headers_from_an_untrusted_peer_are_ignored(monkeypatch):
    environ = resolved(monkeypatch, "10.244.0.0/16", "198.51.100.3", "203.0.113.7", "https")
    assert (environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]) == ("198.51.100.3", "http")


def test_a_trusted_proxy_names_the_client_and_the_scheme(monkeypatch):
    environ = resolved(monkeypatch, "10.244.0.0/16", "10.244.1.9", "203.0.113.7", "https")
    assert (environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]) == ("203.0.113.7", "https")


def test_a_client_cannot_prepend_an_address_of_its_choosing(monkeypatch):
    # the client sent "X-Forwarded-For: 192.0.2.1"; the ingress appended the address it saw
    environ = resolved(monkeypatch, "10.244.0.0/16", "10.244.1.9", "192.0.2.1, 203.0.113.7")
    assert environ["REMOTE_ADDR"] == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(monkeypatch):
    environ = resolved(monkeypatch, "10.244.0.0/16, 10.0.0.0/24", "10.244.1.9", "203.0.113.7, 10.0.0.4")
    assert environ["REMOTE_ADDR"] == "203.0.113.7"


def test_garbage_in_the_chain_stops_the_walk_at_the_last_trusted_hop(monkeypatch):
    environ = resolved(monkeypatch, "10.244.0.0/16", "10.244.1.9", "203.0.113.7, not-an-ip", "gopher")
    assert (environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]) == ("10.244.1.9", "http")


def test_ipv6_proxies_and_clients(monkeypatch):
    environ = resolved(monkeypatch, "fd00::/8", "fd00::1", "2001:db8::42", "https")
    assert (environ["REMOTE_ADDR"], environ["wsgi.url_scheme"]) == ("2001:db8::42", "https")


def test_a_bad_setting_fails_at_start(monkeypatch):
    monkeypatch.setenv("CRM_TRUSTED_PROXIES", "10.0.0.0/33")
    with pytest.raises(ConfigError, match="CRM_TRUSTED_PROXIES"):
        TrustedProxies.from_env()


def test_hsts_only_on_https():
    headers = {}
    TrustedProxies.secure_headers({"wsgi.url_scheme": "http"}, headers)
    assert headers == {}
    TrustedProxies.secure_headers({"wsgi.url_scheme": "https"}, headers)
    assert headers == {"Strict-Transport-Security": HSTS}


def test_what_the_ingress_forwards_is_marked_and_a_probe_inside_is_not(monkeypatch):
    from crm_gateway.proxies import PROXIED
    assert resolved(monkeypatch, "10.244.0.0/16", "10.244.1.9", "203.0.113.7")[PROXIED] is True
    assert resolved(monkeypatch, "10.244.0.0/16", "10.244.1.9").get(PROXIED) is False
    assert PROXIED not in resolved(monkeypatch, "10.244.0.0/16", "198.51.100.3", "203.0.113.7")
