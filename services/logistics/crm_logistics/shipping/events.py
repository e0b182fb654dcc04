"""What shipping tells other services: the data of its events."""
from crm_logistics.db import SCOPE
from crm_logistics.shipping.models import Fulfilment, Shipment


def shipment_allowed(fulfilment: Fulfilment, order: dict) -> dict:
    """logistics.shipment_allowed: finance opens the receivable from it."""
    return {"fulfilment_id": fulfilment.id, "order_id": fulfilment.order_id,
            "order_number": fulfilment.order_number, "customer_id": fulfilment.customer_id,
            "total": order["total"], "currency": order["currency"],
            "payment_terms_days": order["payment_terms_days"], "payment_plan": order["payment_plan"],
            **{key: order[key] for key in SCOPE}}


def shipment_moved(shipment: Shipment) -> dict:
    """logistics.shipment_recorded and logistics.shipment_cancelled: sales counts shipped quantities."""
    return {"shipment_id": shipment.id, "order_id": shipment.order_id,
            "lines": [{"order_line_id": line.fulfilment_line.order_line_id, "quantity": line.quantity}
                      for line in shipment.lines],
            **{key: getattr(shipment, key) for key in SCOPE}}


def fulfilment_closed(fulfilment: Fulfilment) -> dict:
    """logistics.fulfilment_closed: finance cuts the receivable to what was shipped."""
    return {"fulfilment_id": fulfilment.id, "order_id": fulfilment.order_id,
            "order_number": fulfilment.order_number, "customer_id": fulfilment.customer_id,
            "reason": fulfilment.closed_reason,
            "lines": [{"order_line_id": line.order_line_id, "ordered": line.ordered, "shipped": line.shipped,
                       "released": line.released} for line in fulfilment.lines],
            **{key: getattr(fulfilment, key) for key in SCOPE}}
