"""The raw AMQP floor: a plain py-amqp responder speaking Nameko's reply format, nothing else.

Consumes `<service>.*` from the nameko-rpc exchange on its own queue and answers every request
with `{"result": [], "error": null}` to its reply_to, then acks (the same ack-after-reply order as
Nameko). Blocking py-amqp, one channel, transient replies, no confirms, no eventlet.

usage: python bench/echo_responder.py AMQP_URI SERVICE_NAME
"""
import signal
import sys
from urllib.parse import unquote, urlsplit

import amqp

RPC_EXCHANGE = "nameko-rpc"
REPLY = b'{"result":[],"error":null}'


def main(uri: str, service: str) -> None:
    parts = urlsplit(uri)
    vhost = unquote(parts.path[1:]) if parts.path not in ("", "/") else "/"
    connection = amqp.Connection(host=f"{parts.hostname}:{parts.port or 5672}",
                                 userid=unquote(parts.username or "guest"),
                                 password=unquote(parts.password or "guest"), virtual_host=vhost)
    connection.connect()
    channel = connection.channel()
    queue = f"rpc-{service}"
    channel.exchange_declare(RPC_EXCHANGE, "topic", durable=True, auto_delete=False)
    channel.queue_declare(queue, durable=False, auto_delete=True)
    channel.queue_bind(queue, RPC_EXCHANGE, routing_key=f"{service}.*")
    channel.basic_qos(0, 20, False)

    def on_request(message):
        channel.basic_publish(
            amqp.Message(REPLY, content_type="application/json", content_encoding="utf-8",
                         correlation_id=message.properties.get("correlation_id")),
            exchange=RPC_EXCHANGE, routing_key=message.properties["reply_to"])
        channel.basic_ack(message.delivery_tag)

    channel.basic_consume(queue, callback=on_request)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    try:
        while True:
            connection.drain_events()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
