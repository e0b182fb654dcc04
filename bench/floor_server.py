"""The HTTP floor: the gateway's HTTP stack (eventlet.wsgi + werkzeug, one monkey-patched
process, same server options) answering a constant JSON body without auth or RPC.

usage: python bench/floor_server.py PORT
"""
from crm_common.bootstrap import prepare_process

prepare_process()

import json  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import uuid  # noqa: E402

import eventlet  # noqa: E402
import eventlet.wsgi  # noqa: E402
from werkzeug.wrappers import Request, Response  # noqa: E402

BODY = json.dumps({"id": str(uuid.UUID(int=0)), "name": "constant", "status": "active"})


def app(environ, start_response):
    request = Request(environ)
    response = Response(BODY, status=200, content_type="application/json")
    response.headers["X-Request-ID"] = request.headers.get("X-Request-ID") or uuid.uuid4().hex
    return response(environ, start_response)


def main(port: int) -> None:
    listener = eventlet.listen(("127.0.0.1", port), backlog=1024)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    try:
        eventlet.wsgi.server(listener, app, log_output=False, max_size=2000, socket_timeout=60)
    except (KeyboardInterrupt, SystemExit):
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]))
