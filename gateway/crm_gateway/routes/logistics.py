"""Logistics service routes (LOG-*)."""
from crm_gateway.routes.base import Route, action, crud

# field-service steps: (path segment, action, permission of the actor)
FIELD_SERVICE_STEPS = [
    ("dispatch", "dispatch", "field_service.write"), ("confirm", "confirm", "field_service.write"),
    ("progress", "progress", "field_service.write"), ("feedback", "feedback", "field_service.provider"),
    ("audit", "audit", "field_service.write"), ("fee-statement", "fee", "field_service.write"),
    ("hq-audit", "hq_audit", "field_service.settle"), ("settle", "settle", "field_service.settle"),
]


def _field_service_step(step: str):
    return lambda c: c.call("logistics", "field_service_step", [c.params["id"], step, c.body()])


ROUTES = [
    *crud("fulfilments", "logistics", "fulfilment", "fulfilments", create=False, update=False),
    Route("GET", "/shipments/freight-report", "shipments.read", rpc="logistics.freight_report", takes="query",
          report=True),
    *crud("shipments", "logistics", "shipment", "shipments", update=False),
    action("shipments", "ship", "shipments.write", "logistics.ship_shipment"),
    action("shipments", "deliver", "shipments.write", "logistics.deliver_shipment"),
    action("shipments", "cancel", "shipments.write", "logistics.cancel_shipment"),
    *crud("carriers", "logistics", "carrier", "carriers", sort="name"),
    *crud("goods-returns", "logistics", "goods_return", "goods_returns", create=False, update=False),
    action("goods-returns", "receive", "goods_returns.write", "logistics.receive_goods_return"),
    # read permission is checked by the service: office by data scope, providers their own orders
    Route("GET", "/field-service-orders", None, rpc="logistics.list_field_service_orders", takes="query"),
    # The timer's job (providers told their feedback is overdue), run by an operator with a "now".
    Route("POST", "/field-service-reminders/run", "admin.events", rpc="logistics.run_field_service_reminders",
          takes="body"),
    Route("GET", "/field-service-orders/<id>", None, rpc="logistics.get_field_service_order"),
    Route("POST", "/field-service-orders", "field_service.write", 201, "logistics.create_field_service_order",
          "body"),
    *[Route("POST", f"/field-service-orders/<id>/{segment}", permission, local=_field_service_step(step),
            contract=f"logistics.field_service_step:{step}")
      for segment, step, permission in FIELD_SERVICE_STEPS],
]
