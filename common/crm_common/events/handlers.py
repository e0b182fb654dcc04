"""Event handlers that never drop a message and never apply one twice.

- Each handler runs in a unit of work that first records (event_id, handler); a redelivered
  event finds the row and is skipped, in the same transaction as the effect.
- A failure is retried with exponential back-off through a per-queue delay queue
  (`<queue>.retry`, dead-lettering back to the queue); after the last attempt, or at once for
  a message that can never succeed (bad envelope), it is parked in the service's
  `dead_letters` table, listable and replayable by an operator.
- If even parking fails, the message is requeued: it is never acked unless stored somewhere.
"""
import functools
import json
import logging
import os
import traceback
import uuid

from marshmallow import ValidationError
from nameko.events import SERVICE_POOL, EventHandler
from sqlalchemy import insert

from crm_common.broker import DEFAULT_EXCHANGE, Broker
from crm_common.database import PLUMBING, Database
from crm_common.events.catalog import UnknownEvent, parse_envelope
from crm_common.metrics import EVENT_RETRIES

log = logging.getLogger(__name__)
ATTEMPTS_HEADER = "x-crm-attempts"


class PoisonMessage(Exception):
    """A message that no retry can fix; it goes straight to the dead letters."""


def retry_queue_name(queue_name: str) -> str:
    return f"{queue_name}.retry"


def max_attempts() -> int:
    return int(os.environ.get("CRM_RETRY_MAX_ATTEMPTS", "5"))


def retry_delay_seconds(attempt: int) -> float:
    return float(os.environ.get("CRM_RETRY_BASE_SECONDS", "2")) * 2 ** (attempt - 1)


class ReliableEventHandler(EventHandler):
    database = Database()
    broker = Broker()

    def __init__(self, source_service, event_type, **kwargs):
        super().__init__(source_service, event_type, handler_type=SERVICE_POOL,
                         reliable_delivery=True, requeue_on_error=False, **kwargs)

    def handle_message_processed(self, message, result=None, exc_info=None):
        if exc_info is None:
            self.queue_consumer.ack_message(message)
            return
        try:
            self._retry_or_park(message, exc_info)
        except Exception:
            log.exception("could not retry or park a failed event; requeueing it")
            self.queue_consumer.requeue_message(message)
        else:
            self.queue_consumer.ack_message(message)

    def _retry_or_park(self, message, exc_info):
        attempts = int((message.headers or {}).get(ATTEMPTS_HEADER, 0)) + 1
        poison = issubclass(exc_info[0], PoisonMessage)
        if not poison and attempts < max_attempts():
            delay = retry_delay_seconds(attempts)
            EVENT_RETRIES.labels(self.container.service_name, self.method_name).inc()
            log.warning("event handler %s failed (attempt %d), retrying in %.1fs: %s",
                        self.method_name, attempts, delay, exc_info[1])
            self.broker.publish(
                message.body, DEFAULT_EXCHANGE, retry_queue_name(self.queue.name),
                headers={**(message.headers or {}), ATTEMPTS_HEADER: attempts},
                expiration=delay, content_type=message.content_type,
                content_encoding=message.content_encoding)
            return
        self._park(message, attempts, "".join(traceback.format_exception(*exc_info)))

    def _park(self, message, attempts, error):
        try:
            body = json.loads(message.body)
        except (TypeError, ValueError):
            body, error = None, f"{error}\nraw body: {message.body!r}"
        envelope = body if isinstance(body, dict) else {}
        with self.database.session_factory() as session, session.begin():
            session.execute(insert(PLUMBING["dead_letters"]).values(
                queue=self.queue.name, event_name=str(envelope.get("name") or "") or None,
                event_id=_uuid_or_none(envelope.get("event_id")),
                headers=_jsonable(message.headers or {}), body=body, error=error[-8000:],
                attempts=attempts))
        log.error("event parked in dead_letters after %d attempt(s) on %s", attempts, self.queue.name)


def _uuid_or_none(value):
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


def _jsonable(headers: dict) -> dict:
    return json.loads(json.dumps(headers, default=str))


def handles(event_name: str):
    """Decorate `method(self, uow, envelope, data)` as the idempotent handler of `event_name`.

    The service must have a `uow` dependency (UnitOfWorkProvider).
    """
    source, event_type = event_name.split(".", 1)

    def decorator(fn):
        @functools.wraps(fn)
        def handler(self, body):
            try:
                envelope, data = parse_envelope(body)
            except (ValidationError, UnknownEvent, TypeError, KeyError) as exc:
                raise PoisonMessage(f"invalid {event_name} message: {exc}") from exc
            if envelope["name"] != event_name:
                raise PoisonMessage(f"expected {event_name}, got {envelope['name']}")
            with self.uow() as uow:
                if not uow.first_delivery(envelope["event_id"], f"{type(self).__name__}.{fn.__name__}"):
                    log.info("skipping redelivered event %s", envelope["event_id"])
                    return
                fn(self, uow, envelope, data)

        return ReliableEventHandler.decorator(source, event_type)(handler)

    return decorator
