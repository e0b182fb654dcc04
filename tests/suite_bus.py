"""The suite's broker as a test uses it (the `bus` fixture): publish an event as another service
would, or listen to one as a consumer would."""
import contextlib
import uuid

from kombu import Connection, Exchange, Producer, Queue

from crm_common.events.catalog import build_envelope, exchange_and_key
from suite_api import eventually


class Bus:
    def __init__(self, amqp_uri: str):
        self.amqp_uri = amqp_uri

    def publish(self, name: str, data: dict, branch="HQ") -> dict:
        envelope = build_envelope(name, data, branch, None)
        exchange, key = exchange_and_key(name)
        with Connection(self.amqp_uri, transport_options={"confirm_publish": True}) as conn:
            Producer(conn.channel()).publish(
                envelope, exchange=Exchange(exchange, type="topic", durable=True), routing_key=key,
                delivery_mode=2, serializer="json")
        return envelope

    def listen(self, name: str):
        """A context manager yielding `collect(predicate)`: the matching events' data."""
        @contextlib.contextmanager
        def listening():
            exchange, key = exchange_and_key(name)
            with Connection(self.amqp_uri) as conn:
                channel = conn.channel()
                queue = Queue(f"test-listen-{uuid.uuid4().hex}", exclusive=True, auto_delete=True, routing_key=key,
                              exchange=Exchange(exchange, type="topic", durable=True))(channel)
                queue.declare()
                seen = []

                def collect(predicate, timeout=15.0):
                    def poll():
                        message = queue.get(no_ack=True)
                        while message is not None:
                            seen.append(message.payload["data"])
                            message = queue.get(no_ack=True)
                        return [data for data in seen if predicate(data)]
                    return eventually(poll, timeout=timeout)
                yield collect
        return listening()
