"""Regional branches (ADM-09): each runs its own services behind its own RabbitMQ vhost.

The gateway knows them from CRM_BRANCHES ("SH=amqp://…/crm-sh;BJ=amqp://…/crm-bj"; without it,
the one branch CRM_BRANCH on CRM_AMQP_URI) and sends each call to the caller's branch. A caller
whose scope for the action is `all` (head office) is served by every branch: lists are merged,
a record by id is looked for everywhere (fanout.py).
"""
import os

import eventlet

from crm_common import config
from crm_common.errors import CrmError, Unavailable
from crm_gateway import settings
from crm_gateway.rpc_client import RpcClient

SERVICE_PING_SECONDS = 2.0  # a probe: a service slower than this counts as down


def parse(spec: str) -> dict[str, str]:
    branches = {}
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        code, _, uri = part.partition("=")
        if not code.strip() or not uri.strip():
            raise ValueError(f"CRM_BRANCHES entry {part!r} is not CODE=amqp-uri")
        branches[code.strip()] = uri.strip()
    return branches


class Branches:
    def __init__(self, uris: dict[str, str], timeout: float):
        self.clients = {code: RpcClient(uri, timeout) for code, uri in uris.items()}

    @classmethod
    def from_env(cls) -> "Branches":
        spec = os.environ.get("CRM_BRANCHES")
        uris = parse(spec) if spec else {config.branch(): config.amqp_uri()}
        return cls(uris, settings.RPC_TIMEOUT_SECONDS)

    def client(self, branch: str) -> RpcClient:
        try:
            return self.clients[branch]
        except KeyError:
            raise Unavailable(f"Branch {branch} is not served by this gateway") from None

    def spans_all(self, principal, permission: str | None) -> bool:
        return len(self.clients) > 1 and principal is not None and principal.scope_for(permission) == "all"

    def status(self) -> dict:
        """Each branch this gateway serves, whether its broker answers and whether each of its
        services answers an RPC ping (系统管理 · 分支机构), all asked at once."""
        down = set(self.unreachable())
        asked = [(code, service) for code in sorted(self.clients) if code not in down for service in config.SERVICES]
        answers = dict(zip(asked, eventlet.GreenPool().imap(lambda pair: self._answers(*pair), asked), strict=True))
        return {"items": [{"code": code, "reachable": code not in down,
                           "services": {service: answers.get((code, service), False) for service in config.SERVICES}}
                          for code in sorted(self.clients)],
                "next_cursor": None}

    def _answers(self, code: str, service: str) -> bool:
        try:
            self.clients[code].call(service, "ping", [], {}, timeout=SERVICE_PING_SECONDS)
        except CrmError:  # Unavailable or whatever the service answered: not healthy
            return False
        return True

    def unreachable(self) -> list[str]:
        down = []
        for code, client in self.clients.items():
            try:
                client.ping()
            except Unavailable:
                down.append(code)
        return down
