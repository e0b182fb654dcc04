"""The RPC entrypoint every service uses: deadlines, idempotent answers, transient database errors.

- A request carries its deadline (`deadline` in the context, epoch seconds; the gateway also
  sets the AMQP expiration, so a request still queued at its deadline is dropped by the broker).
  One that arrives after it is refused unrun: its caller was already told 503.
- A request carrying the gateway's idempotency fields for this very method runs in one
  transaction with its key and answer (`WorkerScope`); a repeat gets the recorded answer.
- A transient database error (connection dropped, serialization failure, deadlock) reruns the
  whole worker on a fresh connection when nothing of it can have been committed, a bounded
  number of times; otherwise, or when the attempts are used up, it answers 503 with Retry-After.
- The answer is encoded once and written, as one buffer of frames, on one long-lived channel
  without a publisher confirm (`ReplyPublisher`).
"""
import functools
import inspect
import logging
import socket
import sys
import time

import eventlet
import psycopg
from eventlet import patcher
from eventlet.semaphore import Semaphore
from kombu import Connection
from kombu.serialization import registry
from nameko.constants import AMQP_SSL_CONFIG_KEY, AMQP_URI_CONFIG_KEY, LOGIN_METHOD_CONFIG_KEY
from nameko.exceptions import IncorrectSignature, MethodNotFound, UnserializableValueError, serialize
from nameko.extensions import SharedExtension
from nameko.rpc import Rpc, RpcConsumer, get_rpc_exchange
from sqlalchemy.exc import DBAPIError

from crm_common import field_policy
from crm_common.amqp_frames import AnswerFrames
from crm_common.database import Replayed, WorkerScope
from crm_common.errors import CrmError, Unavailable

log = logging.getLogger(__name__)
_select = patcher.original("select")  # a poll(0) that answers now; eventlet's green select has no poll
DEADLINE = "deadline"
ATTEMPTS = 3
# serialization failure, deadlock, admin/crash shutdown, cannot connect now; class 08 = connection
TRANSIENT_SQLSTATES = {"40001", "40P01", "57P01", "57P02", "57P03"}


def is_transient(exc: BaseException) -> bool:
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    code = getattr(exc.orig, "sqlstate", None)
    if code:
        return code in TRANSIENT_SQLSTATES or code.startswith("08")
    return isinstance(exc.orig, psycopg.OperationalError)  # no server code: the connection broke


def deadline_passed(context: dict) -> bool:
    deadline = context.get(DEADLINE)
    return deadline is not None and time.time() > float(deadline)


class ReplyPublisher(SharedExtension):
    """Publishes RPC answers, in place of nameko's Responder.

    nameko's Responder built a Publisher per answer: a kombu Connection object, a producer
    taken from kombu's pool, `ensure` retry wrappers, the answer JSON-encoded twice (once to
    check it can be, once to send it) and a publisher confirm waited for: 16 % of the
    customers process in a read mix. Here the answer is encoded once and written on one
    channel kept open for the process, transient (the caller's reply queue is not durable).

    Why no confirm is safe: the confirm only told this process that the broker took the
    answer, and nothing here could act on a refusal except fail the worker (nameko then kills
    the container and the request is delivered again, so a refusal ran it twice). A reply lost
    between this socket and the caller's queue (the broker dies at that moment) ends as the
    caller's timeout, 503, as a lost request does; the request is acked only after the answer
    was written, and the work it did is committed or not independently of the reply: a retry
    of a write carries its Idempotency-Key and gets the recorded answer (crm_common.database),
    a read is only read again. A write that fails on this socket (the connection broke) is
    written again on a new connection; an answer sent twice is dropped by the caller, which
    takes the first for its correlation id.
    """

    # Nothing reads this connection between answers: before each answer one poll(0) asks whether
    # the broker sent anything (a `connection.close` from an operator's force-close or the broker
    # stopping, a `connection.blocked`, a heartbeat, the end of the stream), and py-amqp reads it
    # then; a close shows there and the answer goes on a new connection. The heartbeat check
    # before it notices a broker gone silent. After a quiet spell longer than two heartbeats the
    # broker has closed the connection and the next answer opens another.
    # tests/e2e/test_rpc_answers.py closes it both ways.
    HEARTBEAT = 60

    def setup(self):
        config = self.container.config
        # named, so that an operator finds it among the broker's connections (and the test too)
        named = {"client_properties": {"connection_name": f"{self.container.service_name} rpc answers"}}
        self._connect_args = dict(hostname=config[AMQP_URI_CONFIG_KEY], ssl=config.get(AMQP_SSL_CONFIG_KEY),
                                  login_method=config.get(LOGIN_METHOD_CONFIG_KEY), heartbeat=self.HEARTBEAT,
                                  transport_options=named)
        self._exchange = get_rpc_exchange(config).name
        self._lock = Semaphore(1)
        self._connection = self._amqp = self._frames = self._inbound = None

    def send(self, message, result, exc_info):
        """Publishes the answer (or error) to a request in its content type; returns them as
        nameko's Responder did (an answer that cannot be encoded becomes that error)."""
        error = serialize(exc_info[1]) if exc_info is not None else None
        serializer = registry.type_to_name[message.properties["content_type"]]
        try:
            content_type, encoding, body = registry.dumps({"result": result, "error": error}, serializer)
        except Exception:
            exc_info = sys.exc_info()
            error = serialize(UnserializableValueError(result))
            result = None
            content_type, encoding, body = registry.dumps({"result": None, "error": error}, serializer)
        reply_to = message.properties.get("reply_to")
        if reply_to:
            self._publish(body, content_type, encoding, reply_to, message.properties.get("correlation_id"))
        return result, exc_info

    def _publish(self, body, content_type, encoding, routing_key, correlation_id):
        with self._lock:
            for attempt in (1, 2):
                try:
                    connection = self._open()
                    # the frames as one write (one system call); nothing else writes on this
                    # connection but this lock's holder
                    connection.transport.write(self._frames.publish(routing_key, correlation_id, content_type,
                                                                    encoding, body))
                    connection.bytes_sent += 1  # what py-amqp's heartbeat counts as traffic
                    return
                except Exception as exc:
                    self._close()
                    if attempt == 2:
                        raise
                    log.info("could not write an RPC answer, once more on a new connection: %s", exc)

    def _open(self):
        """The py-amqp connection, open and with nothing from the broker left unread."""
        if self._connection is None:
            connection = Connection(**self._connect_args)
            connection.connect()
            channel = connection.channel()
            self._connection, self._amqp = connection, connection.connection
            self._frames = AnswerFrames(channel.channel_id, self._amqp.frame_max, self._exchange)
            self._inbound = _select.poll()
            self._inbound.register(self._amqp.sock.fileno(), _select.POLLIN)
            return self._amqp
        amqp_connection = self._amqp
        if self._inbound.poll(0):
            try:  # raises if it was the broker's close or the end of the stream
                amqp_connection.drain_events(timeout=0)
            except socket.timeout:  # part of a frame: the rest is read before the next answer
                pass
        amqp_connection.heartbeat_tick()  # sends ours when due; raises if the broker's stopped
        return amqp_connection

    def _close(self):
        connection, self._connection, self._amqp, self._frames, self._inbound = (
            self._connection, None, None, None, None)
        if connection is not None:
            try:
                connection.release()
            except Exception:  # it is broken already; dropping it is the point
                log.debug("ignoring an error closing the RPC answer connection", exc_info=True)

    def stop(self):
        self._close()

    kill = stop


class CrmRpcConsumer(RpcConsumer):
    replies = ReplyPublisher()
    _by_key = None  # routing key → provider, made on the first request after a (un)registration

    def register_provider(self, provider):
        super().register_provider(provider)
        self._by_key = None

    def unregister_provider(self, provider):
        super().unregister_provider(provider)
        self._by_key = None

    def get_provider_for_method(self, routing_key):
        # nameko formatted "service.method" for every RPC of the service until one matched (~80 for
        # customers) on every request
        by_key = self._by_key
        if by_key is None:
            service = self.container.service_name
            by_key = self._by_key = {f"{service}.{provider.method_name}": provider for provider in self._providers}
        provider = by_key.get(routing_key)
        if provider is None:
            raise MethodNotFound(routing_key.split(".")[-1])
        return provider

    def handle_result(self, message, result, exc_info):
        result, exc_info = self.replies.send(message, result, exc_info)
        self.queue_consumer.ack_message(message)
        return result, exc_info


class CrmRpc(Rpc):
    rpc_consumer = CrmRpcConsumer()

    def handle_message(self, body, message):
        headers = message.headers or {}
        if deadline_passed({DEADLINE: headers.get(f"nameko.{DEADLINE}")}):
            log.warning("refused %s.%s: its deadline passed before it was taken up",
                        self.container.service_name, self.method_name)
            refusal = Unavailable("The request's deadline passed before the service took it up; nothing was done")
            self.rpc_consumer.handle_result(message, None, (Unavailable, refusal, None))
            return
        super().handle_message(body, message)

    def check_signature(self, args, kwargs):
        # the entrypoint below wraps the method: check the caller's arguments against the original
        # (its signature made once: inspect.getcallargs rebuilt it for every request)
        signature = self.__dict__.get("_signature")
        if signature is None:
            signature = self._signature = inspect.signature(
                inspect.unwrap(getattr(self.container.service_cls, self.method_name)))
        try:
            signature.bind(None, *args, **kwargs)
        except TypeError as exc:
            raise IncorrectSignature(str(exc)) from None


_register = CrmRpc.decorator(expected_exceptions=CrmError)


def rpc(fn):
    """Decorator of every service RPC method (domain errors are answers, logged as warnings).

    The caller's field permissions are applied here, by the method's contract: a body whose
    schema governs a resource is refused before anything runs when it sets a field the caller may
    not write (the body is the last argument, as the gateway passes it), and an answer whose
    schema governs one is shaped (hidden keys dropped, masked values masked) before it is
    recorded for an idempotent replay. A caller without field rules pays one attribute read."""
    governed = _field_governance(fn, getattr(fn, "__api_contract__", None))
    if governed is not None:
        fn = _obeying_field_rules(fn, *governed)

    @functools.wraps(fn)
    def entrypoint(self, *args, **kwargs):
        scope = getattr(self, "uow", None)
        if not isinstance(scope, WorkerScope):  # a service without a database
            return fn(self, *args, **kwargs)
        return run(scope, lambda: fn(self, *args, **kwargs))
    return _register(entrypoint)


def _field_governance(fn, contract):
    """(the argument the body is and the resource it governs, the argument the query is and its
    resource, the answer's shaping plan, is the answer a list), or None when the contract touches
    no governed field."""
    if contract is None:
        return None
    body = getattr(contract.body, "field_resource", None) if contract.body else None
    query = getattr(contract.query, "field_resource", None) if contract.query else None
    answer = contract.returns
    plan = field_policy.plan_of(answer) if isinstance(answer, type) else None
    if body is None and query is None and plan is None:
        return None
    names = [name for name in inspect.signature(fn).parameters][1:]  # after self
    # the body is `payload` where a method names it so, else the last argument (as the gateway passes it)
    body_at = names.index("payload") if "payload" in names else len(names) - 1
    query_at = names.index("query") if "query" in names else None
    return (body_at, body), (query_at, query), plan, contract.page or contract.many


def _argument(at: int | None, name: str, args, kwargs):
    if at is None:
        return None
    return args[at] if at < len(args) else kwargs.get(name)


def _obeying_field_rules(fn, body, query, plan, listing):
    (body_at, body_resource), (query_at, query_resource) = body, query

    @functools.wraps(fn)
    def obeying(self, *args, **kwargs):
        policy = self.principal.field_rules
        if not policy:
            return fn(self, *args, **kwargs)
        if body_resource is not None:
            field_policy.check_write(body_resource, policy, _argument(body_at, "payload", args, kwargs))
        if query_resource is not None:
            field_policy.check_filters(query_resource, policy, _argument(query_at, "query", args, kwargs))
        answer = fn(self, *args, **kwargs)
        if plan is not None and answer is not None:
            field_policy.shape(plan, policy, answer["items"] if listing and isinstance(answer, dict) else answer,
                               listing)
        return answer
    return obeying


def run(scope: WorkerScope, work):
    for attempt in range(1, ATTEMPTS + 1):
        try:
            answer = work()
            scope.finish(answer)
            return answer
        except Replayed as replay:
            return replay.answer
        except DBAPIError as exc:
            scope.abort()
            if not is_transient(exc):
                raise
            if attempt == ATTEMPTS or not scope.may_rerun():
                log.warning("transient database error, not rerun (attempt %d): %s", attempt, exc.orig)
                raise Unavailable("The database was briefly unavailable; please retry") from None
            log.warning("transient database error, rerunning (attempt %d): %s", attempt, exc.orig)
            eventlet.sleep(0.05 * 2 ** attempt)
        except BaseException:
            scope.abort()
            raise
