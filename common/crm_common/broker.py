"""Publishing to RabbitMQ with publisher confirms, one connection per service process."""
import logging
import threading

from kombu import Connection, Exchange, Producer
from nameko.extensions import SharedExtension

log = logging.getLogger(__name__)
DEFAULT_EXCHANGE = Exchange("", type="direct")


def events_exchange(name: str) -> Exchange:
    return Exchange(name, type="topic", durable=True)


class Broker(SharedExtension):
    """A confirmed, persistent publisher. Callers get an exception if the broker did not take
    the message, so they can keep it (outbox row, unacked delivery) and try again."""

    _connection = None
    _producer = None

    def setup(self):
        self._lock = threading.Lock()
        self._uri = self.container.config["AMQP_URI"]

    def _ensure_producer(self):
        if self._producer is None:
            self._connection = Connection(self._uri, transport_options={"confirm_publish": True})
            self._producer = Producer(self._connection.channel())
        return self._producer

    def _reset(self):
        try:
            if self._connection is not None:
                self._connection.release()
        except Exception:  # the connection is already broken; dropping it is the point
            log.debug("ignoring error while closing a broken connection", exc_info=True)
        self._connection = self._producer = None

    def publish(self, body, exchange: Exchange, routing_key: str, headers=None, **kwargs):
        with self._lock:
            try:
                self._ensure_producer().publish(
                    body, exchange=exchange, routing_key=routing_key, headers=headers or {},
                    delivery_mode=2, serializer="json", retry=False, **kwargs)
            except Exception:
                self._reset()
                raise

    def ping(self) -> None:
        with Connection(self._uri, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)

    def kill(self):
        self._reset()

    stop = kill
