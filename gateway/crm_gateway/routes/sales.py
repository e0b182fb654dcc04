"""Sales service routes (SAL-*)."""
from crm_gateway.routes.base import Route, action, crud

ROUTES = [
    *crud("products", "sales", "product", "products"),
    *crud("price-rules", "sales", "price_rule", "products"),
    *crud("orders", "sales", "order", "orders"),
    Route("GET", "/orders/<id>/approvals", "orders.read", rpc="sales.order_approvals"),
    action("orders", "submit", "orders.write", "sales.submit_order"),
    # orders.approve is the gate; which approver may decide the current step is the step's business.
    action("orders", "approve", "orders.approve", "sales.approve_order"),
    action("orders", "reject", "orders.approve", "sales.reject_order"),
    action("orders", "cancel", "orders.write", "sales.cancel_order"),
    action("orders", "complete", "orders.write", "sales.complete_order"),
    action("orders", "close", "orders.write", "sales.close_order"),
    *crud("approval-flows", "sales", "approval_flow", "approval_flows"),
    Route("GET", "/approvals", None, rpc="sales.list_approvals", takes="query"),
    Route("GET", "/approvals/<id>", None, rpc="sales.get_approval"),
]
