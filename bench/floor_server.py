"""The HTTP floor: the gateway's HTTP stack (eventlet.wsgi with the gateway's protocol + werkzeug,
one monkey-patched process, same server options) answering a constant JSON body without auth or RPC.

With the optional arguments it is the floor of one customer read (issue 15): per request one
raw AMQP request/reply (the gateway's RpcClient against bench/echo_responder.py), one primary-key
query on the customers table, and a JSON body of BODY_BYTES built from the row (what GET one
customer cannot do with less).

usage: python bench/floor_server.py PORT [AMQP_URI ECHO_SERVICE DATABASE_URL CUSTOMER_ID BODY_BYTES]
"""
from crm_common.bootstrap import prepare_process

prepare_process()

import json  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sys  # noqa: E402
import uuid  # noqa: E402

import eventlet  # noqa: E402
import eventlet.queue  # noqa: E402
import eventlet.wsgi  # noqa: E402
from werkzeug.wrappers import Request, Response  # noqa: E402

from crm_gateway.http_protocol import Protocol  # noqa: E402

BODY = json.dumps({"id": str(uuid.UUID(int=0)), "name": "constant", "status": "active"})


def constant(request):
    return BODY


def one_read(amqp_uri, echo_service, database_url, customer_id, body_bytes):
    import psycopg
    from crm_gateway.rpc_client import RpcClient
    client = RpcClient(amqp_uri, timeout=10)
    connections = eventlet.queue.LightQueue()

    def read(request):
        client.call(echo_service, "ping", [], {})
        try:
            conn = connections.get_nowait()
        except eventlet.queue.Empty:
            conn = psycopg.connect(database_url, autocommit=True)
        try:
            row = conn.execute("SELECT * FROM customers WHERE id = %s", (customer_id,)).fetchone()
        finally:
            connections.put(conn)
        record = {f"c{i}": value for i, value in enumerate(row)}
        body = json.dumps(record, default=str, ensure_ascii=False)
        return body + " " * max(0, body_bytes - len(body.encode()))
    return read


def main(port: int, answer) -> None:
    def app(environ, start_response):
        request = Request(environ)
        response = Response(answer(request), status=200, content_type="application/json")
        response.headers["X-Request-ID"] = request.headers.get("X-Request-ID") or uuid.uuid4().hex
        return response(environ, start_response)

    listener = eventlet.listen(("127.0.0.1", port), backlog=1024)
    listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # as the gateway does
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    try:
        eventlet.wsgi.server(listener, app, log_output=False, max_size=2000, socket_timeout=60, protocol=Protocol)
    except (KeyboardInterrupt, SystemExit):
        pass


if __name__ == "__main__":
    if len(sys.argv) > 2:
        uri, service, db, customer, size = sys.argv[2:7]
        main(int(sys.argv[1]), one_read(uri, service, db, customer, int(size)))
    else:
        main(int(sys.argv[1]), constant)
