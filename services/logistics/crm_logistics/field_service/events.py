"""What field service tells other services: the data of its events."""
from crm_logistics.db import SCOPE
from crm_logistics.field_service.models import FieldServiceOrder


def field_service_settled(order: FieldServiceOrder) -> dict:
    """logistics.field_service_settled: finance pays the provider (FIN-07)."""
    return {"field_service_order_id": order.id, "number": order.number, "provider_id": order.provider_id,
            "provider_name": order.provider_name, "amount": order.fee_total, "currency": order.fee_currency,
            **{key: getattr(order, key) for key in SCOPE}}


def field_service_dispatched(order: FieldServiceOrder) -> dict:
    """logistics.field_service_dispatched: the provider is told it has an order to serve."""
    return {"field_service_order_id": order.id, "number": order.number, "provider_id": order.provider_id,
            "provider_name": order.provider_name, "address": order.address,
            **{key: getattr(order, key) for key in SCOPE}}


def feedback_overdue(order: FieldServiceOrder) -> dict:
    """logistics.field_service_feedback_overdue: the provider still owes the feedback."""
    return {"field_service_order_id": order.id, "number": order.number, "provider_id": order.provider_id,
            "provider_name": order.provider_name, "feedback_due_at": order.feedback_due_at,
            **{key: getattr(order, key) for key in SCOPE}}
