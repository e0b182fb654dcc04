"""What field service tells other services: the data of its events."""
from crm_logistics.db import SCOPE
from crm_logistics.field_service.models import FieldServiceOrder


def field_service_settled(order: FieldServiceOrder) -> dict:
    """logistics.field_service_settled: finance pays the provider (FIN-07)."""
    return {"field_service_order_id": order.id, "number": order.number, "provider_id": order.provider_id,
            "provider_name": order.provider_name, "amount": order.fee_total, "currency": order.fee_currency,
            **{key: getattr(order, key) for key in SCOPE}}
