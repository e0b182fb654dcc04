"""The dead-letter desk across services: list parked events, replay one (operators only)."""
from crm_common.errors import NotFound, Unavailable
from crm_common.config import SERVICES


def list_dead_letters(ctx) -> dict:
    items, unavailable = [], []
    for service in SERVICES:
        try:
            items.extend(ctx.call(service, "list_dead_letters", [], timeout=3))
        except Unavailable:
            unavailable.append(service)
    items.sort(key=lambda item: item["created_at"], reverse=True)
    return {"items": items, "next_cursor": None, "unavailable_services": unavailable}


def replay_dead_letter(ctx) -> dict:
    service, dead_letter_id = ctx.params["service"], ctx.params["id"]
    if service not in SERVICES or not dead_letter_id.isdigit():
        raise NotFound("No such dead letter")
    return ctx.call(service, "replay_dead_letter", [int(dead_letter_id)])
