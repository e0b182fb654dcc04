"""Pure rules of the pool."""
from crm_common.statemachine import StateMachine

# An extension request waits for the sales approval engine; its outcome is the request's end.
EXTENSION = StateMachine("extension request", {
    "approved": ({"pending"}, "approved"),
    "rejected": ({"pending"}, "rejected"),
    "withdrawn": ({"pending"}, "withdrawn"),
})


def handover_status(counts: dict, services: tuple[str, ...]) -> str:
    """A hand-over is done once every service that keeps owned records has reported its counts."""
    return "done" if all(service in counts for service in services) else "running"


def pending_services(counts: dict, services: tuple[str, ...]) -> list[str]:
    return [service for service in services if service not in counts]
