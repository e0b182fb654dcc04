"""Command line of the gateway: `python -m crm_gateway [run|migrate|create-admin]`."""
import logging
import signal
import socket
import sys

import eventlet
import eventlet.wsgi
from sqlalchemy.orm import sessionmaker

from crm_common import config, logs
from crm_common.database import make_engine
from crm_common.preflight import require_reachable
from crm_gateway import approval_sync, idempotency, settings
from crm_gateway.files import export_jobs
from crm_gateway.app import GatewayApp
from crm_gateway.http_protocol import Protocol
from crm_gateway.identity.first_admin import ensure_admin
from crm_gateway.branches import Branches

log = logging.getLogger("crm_gateway")


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
                            socket_timeout=60, url_length_limit=settings.REQUEST_LINE_LIMIT, protocol=Protocol)

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
