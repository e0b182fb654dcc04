"""Declare exchanges and queues before anything is published, so no event finds no queue.

Run by each service's `migrate` command (and the Kubernetes migration Job). The handler
queues are declared with exactly the arguments Nameko uses, plus a delay queue per handler
queue for retries with back-off. Queues a service lists in `retired_event_queues` (handlers it
no longer has) are deleted with their delay queues.
"""
import inspect

from kombu import Connection, Queue

from crm_common.broker import events_exchange
from crm_common.events.catalog import CATALOG, exchange_and_key
from crm_common.events.handlers import ReliableEventHandler, retry_queue_name


def handler_queues(service_cls) -> list[tuple[str, str, str]]:
    """(queue name, exchange name, routing key) for every event handler of the service."""
    found = []
    for method_name, method in inspect.getmembers(service_cls):
        for entrypoint in getattr(method, "nameko_entrypoints", ()):
            if isinstance(entrypoint, ReliableEventHandler):
                queue = (f"evt-{entrypoint.source_service}-{entrypoint.event_type}"
                         f"--{service_cls.name}.{method_name}")
                found.append((queue, f"{entrypoint.source_service}.events", entrypoint.event_type))
    return found


def declare(amqp_uri: str, service_cls) -> list[str]:
    declared = []
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        for name, _version in CATALOG:
            events_exchange(exchange_and_key(name)[0])(channel).declare()
        for queue_name, exchange_name, routing_key in handler_queues(service_cls):
            Queue(queue_name, exchange=events_exchange(exchange_name), routing_key=routing_key,
                  durable=True, auto_delete=False, exclusive=False)(channel).declare()
            Queue(retry_queue_name(queue_name), durable=True,
                  queue_arguments={"x-dead-letter-exchange": "",
                                   "x-dead-letter-routing-key": queue_name})(channel).declare()
            declared.append(queue_name)
        # A queue whose handler is gone would keep collecting events that nobody reads.
        for queue_name in getattr(service_cls, "retired_event_queues", ()):
            channel.queue_delete(queue_name)
            channel.queue_delete(retry_queue_name(queue_name))
        channel.close()
    return declared
