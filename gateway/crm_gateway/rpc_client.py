"""A lean RPC client speaking Nameko's wire protocol, shared by every green thread of the gateway.

Why not nameko's ClusterRpcProxy: it cannot be shared between green threads, and each call
went through kombu's producer pool, `ensure` wrappers and a publisher confirm (measured
~3.4 ms CPU per call in the gateway). Here one AMQP connection carries all calls: requests
are published (serialised by a lock) without confirms (a lost request surfaces as a timeout
-> 503, and the gateway never retries a non-idempotent call on its own), and one green thread
reads replies from an exclusive reply queue and wakes the waiting caller by correlation id.

py-amqp opens the connection, declares the reply queue and starts its consumer; after that
the channel reads and writes the socket itself (`frames.py`). Through py-amqp a call cost
~600 µs of the gateway's CPU (serial, against bench/echo_responder.py), mostly Python: ~570
function calls to frame a request and parse a reply, each frame read in two `recv`s, and
before every publish a `drain_events(timeout=0)` (to notice a `connection.blocked`) that read
the socket the reader thread was reading, which could split a frame between the two.
"""
import logging
import socket
import time
import uuid
from urllib.parse import unquote, urlsplit

import amqp
import eventlet
from eventlet.event import Event
from eventlet.semaphore import Semaphore
from nameko.exceptions import deserialize

from crm_common import remote_errors, wire  # noqa: F401 (remote_errors: errors re-raise as their own types)
from crm_common.errors import Unavailable
from crm_gateway import frames, metrics

log = logging.getLogger(__name__)
RPC_EXCHANGE = "nameko-rpc"
HEARTBEAT = 30
READ_SIZE = 64 * 1024  # recv allocates this much per call (and gives back the rest): two for a page of 50


# how crm_common.rpc.ReplyPublisher writes a successful answer in crm-json: result first, compact
_OK_START, _OK_END = b'{"result":', b',"error":null}'


class JsonBytes:
    """A result as the JSON the service wrote, for an answer the gateway passes on unchanged:
    decoding a page of 50 customers and encoding it again cost ~130 µs of the gateway's CPU."""

    __slots__ = ("raw",)

    def __init__(self, raw: bytes):
        self.raw = raw


def result_json(raw: bytes) -> JsonBytes | None:
    """The result of a successful answer as its JSON, if the answer is in ReplyPublisher's form:
    the object's last member is its error, so this ending is a null one and the rest the result."""
    if raw.startswith(_OK_START) and raw.endswith(_OK_END):
        return JsonBytes(raw[len(_OK_START):-len(_OK_END)])
    return None


class _Channel:
    """One live connection, its reply queue, the calls waiting for a reply on it and the green
    thread reading it."""

    def __init__(self, uri: str):
        parts = urlsplit(uri)
        vhost = unquote(parts.path[1:]) if parts.path not in ("", "/") else "/"
        self.connection = amqp.Connection(
            host=f"{parts.hostname or '127.0.0.1'}:{parts.port or 5672}", userid=unquote(parts.username or "guest"),
            password=unquote(parts.password or "guest"), virtual_host=vhost, heartbeat=HEARTBEAT, connect_timeout=5)
        self.connection.connect()
        channel = self.connection.channel()
        reply_queue = f"rpc.reply-gateway-{uuid.uuid4()}"
        channel.exchange_declare(RPC_EXCHANGE, "topic", durable=True, auto_delete=False)
        channel.queue_declare(reply_queue, exclusive=True, auto_delete=True)
        channel.queue_bind(reply_queue, RPC_EXCHANGE, routing_key=reply_queue)
        channel.basic_consume(reply_queue, no_ack=True)  # consume-ok is read here, before the reader starts
        self.reply_queue = reply_queue
        self.pending: dict[str, Event] = {}
        self.alive = True
        self._sock = self.connection.transport.sock
        self._writer = frames.Writer(channel.channel_id, self.connection.frame_max, RPC_EXCHANGE,
                                     wire.CONTENT_TYPE, wire.ENCODING, reply_queue)
        self._heartbeat = self.connection.heartbeat or 0
        self._sent_at = self._received_at = time.monotonic()
        self._lock = Semaphore(1)
        eventlet.spawn_n(self._read)

    def publish(self, routing_key: str, correlation_id: str, headers: dict, body: bytes, expiration_ms: int):
        data = self._writer.publish(routing_key, correlation_id, headers, body, str(expiration_ms))
        with self._lock:
            self._sock.sendall(data)
            self._sent_at = time.monotonic()

    def _read(self):
        reader = frames.Reader()
        # silent for half a heartbeat: send ours; for two, the broker is gone
        self._sock.settimeout(self._heartbeat / 2 if self._heartbeat else None)
        try:
            while self.alive:
                try:
                    data = self._sock.recv(READ_SIZE)
                except TimeoutError:
                    data = None
                now = time.monotonic()
                if data == b"":
                    raise frames.ConnectionClosed("the broker closed the connection")
                if data:
                    self._received_at = now
                    for correlation_id, body in reader.feed(data):
                        waiter = self.pending.pop(correlation_id, None)
                        if waiter is not None:
                            waiter.send(body)
                elif now - self._received_at > 2 * self._heartbeat:
                    raise frames.ConnectionClosed("no heartbeat from the broker")
                # a publish under way is as good as a heartbeat
                if self._heartbeat and now - self._sent_at > self._heartbeat / 2 and self._lock.acquire(False):
                    try:
                        self._sock.sendall(frames.HEARTBEAT)
                        self._sent_at = now
                    finally:
                        self._lock.release()
        except Exception as exc:  # connection lost: fail waiting calls, reconnect on next call
            if self.alive:
                log.warning("RPC connection lost: %s", exc)
            self._lost()

    def _lost(self):
        self.close()
        pending, self.pending = self.pending, {}
        for waiter in pending.values():
            waiter.send_exception(Unavailable("Lost the connection to the message broker"))

    def close(self):
        self.alive = False
        try:
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the reader, which fails the calls still waiting
        except OSError:  # closing a dead connection can only fail; nothing to save
            pass
        self.connection.collect()


class RpcClient:
    def __init__(self, amqp_uri: str, timeout: float):
        self._uri = amqp_uri
        self._timeout = timeout
        self._lock = Semaphore(1)
        self._channel: _Channel | None = None

    def _live_channel(self) -> _Channel:
        if self._channel is None or not self._channel.alive:
            with self._lock:
                if self._channel is None or not self._channel.alive:
                    try:
                        self._channel = _Channel(self._uri)
                    except (OSError, amqp.exceptions.AMQPError) as exc:
                        raise Unavailable(f"Message broker unreachable: {exc}") from None
        return self._channel

    def call(self, service: str, method: str, args: list, context: dict, timeout: float | None = None,
             as_json: bool = False):
        """The method's result; with `as_json`, a successful one as JsonBytes when the answer
        is in the form crm_common.rpc writes (otherwise decoded, as without)."""
        started = time.perf_counter()
        timeout = timeout or self._timeout
        correlation_id = uuid.uuid4().hex
        waiter = Event()
        body = wire.dumps({"args": args, "kwargs": {}})
        # Past the deadline the caller has been told 503: the broker drops the request if it is
        # still queued, and the service refuses it if it was already delivered (crm_common.rpc).
        context = {**context, "deadline": f"{time.time() + timeout:.3f}"}
        headers = {f"nameko.{key}": value for key, value in context.items() if value is not None}
        channel = self._live_channel()
        channel.pending[correlation_id] = waiter
        try:
            channel.publish(f"{service}.{method}", correlation_id, headers, body, int(timeout * 1000))
        except Exception as exc:
            channel.pending.pop(correlation_id, None)
            channel.close()
            raise Unavailable(f"Could not send to {service}: {exc}") from None
        raw = waiter.wait(timeout)
        if raw is None:
            channel.pending.pop(correlation_id, None)
            metrics.RPC_SECONDS.labels(service, method, "timeout").observe(time.perf_counter() - started)
            raise Unavailable(f"The {service} service did not answer in time") from None
        if as_json and (result := result_json(raw)) is not None:
            metrics.RPC_SECONDS.labels(service, method, "ok").observe(time.perf_counter() - started)
            return result
        reply = wire.loads(raw)  # the answer comes in the request's content type (or, from an older service, json)
        error = reply.get("error")
        metrics.RPC_SECONDS.labels(service, method, error["exc_type"] if error else "ok").observe(
            time.perf_counter() - started)
        if error:
            raise deserialize(error)
        return reply["result"]

    def ping(self) -> None:
        """Raises Unavailable unless the broker connection is (or can be made) live."""
        self._live_channel()
