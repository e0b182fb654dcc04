"""Who the client is behind a reverse proxy: `X-Forwarded-For` / `X-Forwarded-Proto`, believed only
when the connection comes from a proxy named in CRM_TRUSTED_PROXIES (comma-separated CIDRs; empty,
the default, trusts nobody). Anyone else could write those headers to pick the address the login
throttle, the rate limit and the operation log see, or to claim HTTPS.
"""
import ipaddress
import os

from crm_common.config import ConfigError

HSTS = "max-age=31536000; includeSubDomains"
# set in the WSGI environ of a request that reached us through a trusted proxy (the ingress)
PROXIED = "crm.proxied"


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


class TrustedProxies:
    def __init__(self, networks):
        self.networks = tuple(networks)

    @classmethod
    def from_env(cls) -> "TrustedProxies":
        raw = os.environ.get("CRM_TRUSTED_PROXIES", "")
        try:
            return cls(ipaddress.ip_network(part.strip()) for part in raw.split(",") if part.strip())
        except ValueError as exc:
            raise ConfigError(f"CRM_TRUSTED_PROXIES must be comma-separated CIDRs: {exc}") from None

    def trusts(self, address) -> bool:
        return address is not None and any(address in network for network in self.networks)

    def resolve(self, environ: dict) -> None:
        """Rewrite REMOTE_ADDR and wsgi.url_scheme in place from the headers a trusted proxy set."""
        if not self.networks:  # trusting nobody, the peer's address is not even parsed
            return
        if not self.trusts(_address(environ.get("REMOTE_ADDR", ""))):
            return
        # The ingress always names the client; a probe or Prometheus inside the cluster never does.
        environ[PROXIED] = "HTTP_X_FORWARDED_FOR" in environ
        # Each proxy appends the address of the peer it got the request from; the client is the first hop,
        # counted from the right, that is not one of ours. A hop that is not an address stops
        # the walk: nothing left of it can be believed.
        client = environ["REMOTE_ADDR"]
        for hop in reversed(environ.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            address = _address(hop)
            if address is None:
                break
            client = str(address)
            if not self.trusts(address):
                break
        environ["REMOTE_ADDR"] = client
        proto = environ.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
        if proto in ("http", "https"):
            environ["wsgi.url_scheme"] = proto

    @staticmethod
    def secure_headers(environ: dict, headers) -> None:
        """HSTS on every answer to an HTTPS request (browsers ignore it over plain HTTP)."""
        if environ.get("wsgi.url_scheme") == "https":
            headers["Strict-Transport-Security"] = HSTS
