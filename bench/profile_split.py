"""Where a service process's samples went, per layer, from a py-spy raw profile (collapsed stacks).

usage: python bench/profile_split.py PROFILE.txt

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


def layer_of(frames: list[str]) -> str:
    for frame in reversed(frames):
        for layer, marks in LAYERS:
            if any(mark in frame for mark in marks):
                return layer
    for frame in reversed(frames):
        for layer, marks in FALLBACK:
            if any(mark in frame for mark in marks):
                return layer
    return "other"


def split(raw: str) -> dict:
    counts: dict[str, int] = {}
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        layer = layer_of(stack.split(";"))
        counts[layer] = counts.get(layer, 0) + int(count)
    return counts


if __name__ == "__main__":
    result = split(open(sys.argv[1], encoding="utf-8").read())
    total = sum(result.values())
    for name, count in sorted(result.items(), key=lambda kv: -kv[1]):
        print(f"{name:<40}{count:>8}{100 * count / total:>8.1f} %")
