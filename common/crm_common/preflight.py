"""One-line answers when PostgreSQL or RabbitMQ is not there, instead of a traceback."""
import socket
from urllib.parse import urlsplit

HINTS = {
    "PostgreSQL": "start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "RabbitMQ": "start it with: rabbitmq-server -detached",
}


class DependencyDown(SystemExit):
    pass


def require_reachable(kind: str, url: str, default_port: int) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or default_port
    try:
        socket.create_connection((host, port), timeout=3).close()
    except OSError as exc:
        raise DependencyDown(
            f"{kind} is not reachable at {host}:{port} ({exc.strerror or exc}); {HINTS[kind]}") from None
