"""Command line of the gateway: `python -m crm_gateway [run|migrate|create-admin]`."""
import json
import logging
import re
import signal
import socket
import sys
from http import HTTPStatus

import eventlet
import eventlet.wsgi
from sqlalchemy.orm import sessionmaker

from crm_common import config, logs
from crm_common.database import make_engine
from crm_common.preflight import require_reachable
from crm_gateway import approval_sync, idempotency, settings
from crm_gateway.files import export_jobs
from crm_gateway.app import GatewayApp
from crm_gateway.identity.first_admin import ensure_admin
from crm_gateway.branches import Branches

log = logging.getLogger("crm_gateway")


class _Protocol(eventlet.wsgi.HttpProtocol):
    """What eventlet answers itself, before the application sees a request (a malformed request
    line, an HTTP version it does not speak, a request line or header it will not read), is
    problem+json like every other error.

    eventlet writes its own bare 414 for a request line of `url_length_limit` bytes and a bare 400
    when a header line reaches `eventlet.wsgi.MAX_HEADER_LINE` or all of them MAX_TOTAL_HEADER_SIZE;
    both are caught here first, where it reads them.
    """

    # eventlet writes an answer's status line, headers and body through this buffer and flushes
    # once: with its 16 KB a page of 50 customers (~75 KB) went out as two sends (the headers,
    # then the body). Its pages are only touched as far as an answer fills them.
    wbufsize = 256 << 10

    def _read_request_line(self):
        line = super()._read_request_line()
        if len(line) >= self.server.url_length_limit:
            self.requestline, self.command = "", ""
            self._refuse(414, f"The request line is limited to {self.server.url_length_limit} bytes")
            return ""  # eventlet then closes the connection without a word of its own
        return line

    def parse_request(self):
        try:
            if not super().parse_request():
                return False
        except eventlet.wsgi.HeaderLineTooLong:
            self._refuse(431, f"A header line is limited to {eventlet.wsgi.MAX_HEADER_LINE} bytes")
            return False
        except eventlet.wsgi.HeadersTooLarge:
            self._refuse(431, f"The headers are limited to {eventlet.wsgi.MAX_TOTAL_HEADER_SIZE} bytes")
            return False
        # the framing eventlet would refuse next, with a bare 400
        length = self.headers.get("Content-Length")
        if length is not None and not re.fullmatch(r"\s*[0-9]+\s*", length):
            self._refuse(400, "Content-Length must be a non-negative whole number")
            return False
        if length is not None and self.headers.get("Transfer-Encoding") is not None:
            self._refuse(400, "Content-Length and Transfer-Encoding are not allowed together")
            return False
        return True

    def _refuse(self, code, detail):
        """Answer, then read what the client is still sending: closing with it unread would reset
        the connection, and the client would lose the answer."""
        self.send_error(code, detail)
        self.wfile.flush()
        try:
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(DRAIN_SECONDS)
            drained = 0
            while drained < DRAIN_LIMIT and (chunk := self.connection.recv(65536)):
                drained += len(chunk)
        except OSError:  # a timeout or a reset: the answer has been sent either way
            pass

    def send_error(self, code, message=None, explain=None):
        self.close_connection = True
        # an unparsable line leaves the version at HTTP/0.9, which would drop the status line and
        # headers: nobody speaks 0.9, so answer in 1.x
        self.request_version = "HTTP/1.0"
        status = HTTPStatus(code)
        body = json.dumps({"type": "about:blank", "title": status.phrase, "status": code,
                           "detail": message or status.description}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


# what a refused request may still bring in after its answer, and how long to wait for it
DRAIN_LIMIT = 16 * 1024 * 1024
DRAIN_SECONDS = 2
# how long the migrate step waits for a branch's sales service to take its people
MIGRATE_SYNC_SECONDS = 10.0


def _session_factory():
    return sessionmaker(make_engine(settings.database_url()), expire_on_commit=False)


def create_admin() -> None:
    generated = ensure_admin(_session_factory())
    if generated:
        print(f"Created user 'admin' with password: {generated}  (shown once; change it after logging in)")


def run() -> None:
    settings.jwt_secret()  # fail at start, not at the first login
    app = GatewayApp(_session_factory(), Branches.from_env())
    listener = eventlet.listen(("0.0.0.0", settings.port()), backlog=1024)
    # Accepted sockets inherit this: without it a response written in two sends (headers, then a
    # body of some tens of KB) waited ~40 ms for the client's delayed ACK (Nagle).
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    server = eventlet.spawn(eventlet.wsgi.server, listener, app, log_output=False, max_size=2000,
                            socket_timeout=60, url_length_limit=settings.REQUEST_LINE_LIMIT, protocol=_Protocol)

    def stop(signum, frame):
        # A handler runs in whichever green thread the signal interrupts, maybe a request's, so it
        # only schedules the stop: the accept loop ends and the requests in flight are answered.
        eventlet.spawn_n(server.kill, SystemExit)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("gateway listening on http://127.0.0.1:%d/api/v1", settings.port())
    eventlet.spawn_n(idempotency.renew_leases, app.session_factory)
    eventlet.spawn_n(export_jobs.work, app.session_factory, app.branches)
    eventlet.spawn_n(approval_sync.keep_trying, app.session_factory, app.branches)
    server.wait()
    log.info("gateway stopped")


def main() -> None:
    logs.configure("gateway")
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    require_reachable("PostgreSQL", settings.database_url(), 5432)
    if command == "migrate":
        from crm_common import migrations  # alembic: 10 MiB a running gateway would keep for nothing

        migrations.upgrade("crm_gateway:migrations", settings.database_url())
        # then the approval engines hear of the users saved before they existed (approval_sync.py);
        # an engine not up yet gets them when the gateway starts
        approval_sync.sync(_session_factory(), Branches.from_env(), timeout=MIGRATE_SYNC_SECONDS)
    elif command == "create-admin":
        create_admin()
    elif command == "run":
        require_reachable("RabbitMQ", config.amqp_uri(), 5672)
        run()
    else:
        sys.exit("usage: python -m crm_gateway [run|migrate|create-admin]")
