"""What a departing user hands over in logistics (crm_common.handovers): the field-service
orders their office has not settled yet, and the open fulfilments of their orders (whose
owner moves with the order in sales)."""
from crm_logistics.field_service.models import FieldServiceOrder
from crm_logistics.field_service.rules import SETTLED
from crm_logistics.shipping.models import Fulfilment
from crm_logistics.shipping.rules import OPEN


def handed_over(now) -> dict:
    return {
        "field_service_orders": (FieldServiceOrder, [FieldServiceOrder.status != SETTLED]),
        "fulfilments": (Fulfilment, [Fulfilment.status == OPEN]),
    }
