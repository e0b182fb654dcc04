"""Where a service process's samples went, per layer, from a py-spy raw profile (collapsed stacks).

usage: python bench/profile_split.py PROFILE.txt [gateway]

Each stack is read from the innermost frame outwards; the first frame that belongs to a named
layer decides (JSON under the AMQP publish is JSON, a socket send under it is the publish). A
stack with none of them goes to the framework layer its innermost frame is in.
"""
import sys

# (layer, substrings of a frame "function (path:line)"), most specific first
LAYERS = [
    ("JSON", ("json/encoder.py", "json/decoder.py", "json/__init__.py", "kombu/serialization.py",
              "kombu/utils/json.py", "crm_common/wire.py")),
    ("marshmallow", ("marshmallow/",)),
    ("AMQP publish (RPC reply)", ("kombu/messaging.py", "nameko/amqp/publish.py", "basic_publish",
                                  "send_response", "RpcConsumer.handle_result",
                                  "ReplyPublisher.")),
    ("statement preparation", ("sqlalchemy/sql/", "psycopg/_queries.py", "sqlalchemy/engine/default.py",
                               "_execute_context", "_compile_w_cache", "psycopg/_preparing.py")),
    ("ORM hydration", ("sqlalchemy/orm/loading.py", "sqlalchemy/engine/result.py", "sqlalchemy/orm/state.py",
                       "sqlalchemy/orm/identity.py", "sqlalchemy/orm/attributes.py", "sqlalchemy/orm/instrumentation")),
    ("SQL: psycopg execute, wait, fetch", ("psycopg/",)),
]
FALLBACK = [
    ("SQLAlchemy session, pool, transaction", ("sqlalchemy/",)),
    ("Nameko worker, kombu/amqp consume", ("nameko/", "kombu/", "amqp/")),
    ("eventlet hub", ("eventlet/",)),
    ("service code (crm_*)", ("crm_",)),
]


# The gateway's request path. Socket sends and receives are left out of the named layers, so that
# they count for what made them: the HTTP server's answer or the RPC's AMQP frames.
GATEWAY_LAYERS = [
    # py-spy takes a thread inside epoll_wait for idle unless it is runnable: woken, waiting for a CPU
    ("epoll_wait, woken (waiting for a CPU)", ("hubs/epolls.py",)),
    ("JSON", ("json/encoder.py", "json/decoder.py", "json/__init__.py")),
    ("metrics (prometheus)", ("prometheus_client/",)),
    ("logging", ("logging/", "crm_common/logs.py")),
    ("auth: token, revocation list", ("jwt/", "identity/tokens.py", "identity/revocation.py",
                                      "identity/api_keys.py", "authenticate")),
    ("operation log", ("operation_log.py",)),
    ("ETag", ("conditional.py",)),
    ("scope: branches, principal context", ("crm_gateway/branches.py", "crm_common/principal.py", "fanout.py")),
    ("RPC call: AMQP publish, reply wait", ("rpc_client.py", "amqp/")),
    ("routing (werkzeug)", ("werkzeug/routing/",)),
    ("werkzeug request/response", ("werkzeug/",)),
    ("HTTP server (eventlet.wsgi, http.server)", ("eventlet/wsgi.py", "http/server.py", "http/client.py",
                                                  "email/", "socketserver.py", "crm_gateway/http_protocol.py")),
    ("SQL (API keys, other)", ("sqlalchemy/", "psycopg/")),
]
# what a stack is for, wherever in it the frame is: checked before the layers
GATEWAY_PURPOSES = [
    ("background: export jobs, leases (SQL)", ("export_jobs.py", "renew_leases", "approval_sync.py")),
    ("auth: revocation list reload (SQL)", ("RevocationList._reload",)),
]
GATEWAY_FALLBACK = [
    ("eventlet hub, sockets", ("eventlet/",)),
    ("gateway code (crm_*)", ("crm_",)),
]


def layer_of(frames: list[str], layers=LAYERS, fallback=FALLBACK, purposes=()) -> str:
    for layer, marks in purposes:
        if any(mark in frame for frame in frames for mark in marks):
            return layer
    for frame in reversed(frames):
        for layer, marks in layers:
            if any(mark in frame for mark in marks):
                return layer
    for frame in reversed(frames):
        for layer, marks in fallback:
            if any(mark in frame for mark in marks):
                return layer
    return "other"


def split(raw: str, gateway: bool = False) -> dict:
    layers, fallback, purposes = (GATEWAY_LAYERS, GATEWAY_FALLBACK, GATEWAY_PURPOSES) if gateway \
        else (LAYERS, FALLBACK, ())
    counts: dict[str, int] = {}
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        layer = layer_of(stack.split(";"), layers, fallback, purposes)
        counts[layer] = counts.get(layer, 0) + int(count)
    return counts


if __name__ == "__main__":
    result = split(open(sys.argv[1], encoding="utf-8").read(), gateway=sys.argv[2:] == ["gateway"])
    total = sum(result.values())
    for name, count in sorted(result.items(), key=lambda kv: -kv[1]):
        print(f"{name:<40}{count:>8}{100 * count / total:>8.1f} %")
