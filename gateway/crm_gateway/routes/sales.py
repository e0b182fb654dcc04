"""Sales service routes (SAL-*)."""
from crm_gateway.routes.base import Route, action, crud

ROUTES = [
    *crud("products", "sales", "product", "products"),
    *crud("price-rules", "sales", "price_rule", "products"),
    *crud("quotes", "sales", "quote", "orders"),
    Route("POST", "/quotes/<id>/convert", "orders.write", 201, "sales.convert_quote", "body"),
    *crud("orders", "sales", "order", "orders"),
    Route("GET", "/orders/<id>/approvals", "orders.read", rpc="sales.order_approvals"),
    action("orders", "submit", "orders.write", "sales.submit_order"),
    # orders.approve is the gate; which approver may decide the current step is the step's business.
    action("orders", "approve", "orders.approve", "sales.approve_order"),
    action("orders", "reject", "orders.approve", "sales.reject_order"),
    action("orders", "cancel", "orders.write", "sales.cancel_order"),
    action("orders", "complete", "orders.write", "sales.complete_order"),
    action("orders", "close", "orders.write", "sales.close_order"),
    *crud("returns", "sales", "return", "orders", update=False),
    Route("GET", "/returns/<id>/approvals", "orders.read", rpc="sales.return_approvals"),
    action("returns", "approve", "orders.approve", "sales.approve_return"),
    action("returns", "reject", "orders.approve", "sales.reject_return"),
    *crud("contracts", "sales", "contract", "contracts"),
    Route("GET", "/contracts/<id>/approvals", "contracts.read", rpc="sales.contract_approvals"),
    action("contracts", "submit", "contracts.write", "sales.submit_contract"),
    action("contracts", "approve", "contracts.approve", "sales.approve_contract"),
    action("contracts", "reject", "contracts.approve", "sales.reject_contract"),
    action("contracts", "change", "contracts.write", "sales.change_contract"),
    action("contracts", "terminate", "contracts.write", "sales.terminate_contract"),
    action("contracts", "close", "contracts.write", "sales.close_contract"),
    action("contracts", "renew", "contracts.write", "sales.renew_contract"),
    # The hourly timer's job, run by an operator (or a test) with an explicit "now".
    Route("POST", "/contract-reminders/run", "admin.events", rpc="sales.run_contract_reminders", takes="body"),
    Route("GET", "/targets", "orders.read", rpc="sales.list_targets", takes="query"),
    Route("GET", "/targets/<id>", "orders.read", rpc="sales.get_target"),
    Route("POST", "/targets", "targets.write", 201, "sales.create_target", "body"),
    *crud("approval-flows", "sales", "approval_flow", "approval_flows"),
    Route("GET", "/approvals", None, rpc="sales.list_approvals", takes="query"),
    Route("GET", "/approvals/<id>", None, rpc="sales.get_approval"),
]
