"""Use cases for sales orders (SAL-06): draft, price, submit into the approval engine, decide,
cancel/complete/close, and the per-line shipped / invoiced / received kept from events.

The order row is locked (FOR UPDATE) for every state change, so two approvers racing on the
same step resolve to exactly one decision and at most one `sales.order_approved` event.
"""
from decimal import Decimal

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, ownership_of, utcnow
from crm_common.validation import NoInput, load_body, load_query
from crm_sales import approvals, price_rules
from crm_sales.approval_flows import instances_out
from crm_sales.approval_schemas import DecisionIn, RejectionIn
from crm_sales.models import Order, OrderLine
from crm_sales.order_rules import (EDITABLE, TransitionNotAllowed, allocate_invoice, allocate_receipt,
                                   allocate_reversal, next_status, order_total)
from crm_sales.schemas import OrderDetailOut, OrderIn, OrderListQuery, OrderOut

SORTS = {"created_at": Order.created_at, "number": Order.number, "total": Order.total}


def _visible_customer(customer_lookup, customer_id) -> dict:
    """Asks the customers service, as the caller, so an unseen customer cannot be sold to."""
    try:
        return customer_lookup(str(customer_id))
    except NotFound:
        raise InvalidInput("Unknown customer", {"customer_id": ["No such customer in your scope."]}) from None


def _find(session, principal, order_id, for_update=False) -> Order:
    return get_in_scope(session, Order, order_id, principal, for_update=for_update)


def _fill(session, principal, order: Order, data: dict, customer: dict) -> None:
    lines, max_discount, over_limit = price_rules.price_lines(
        session, principal, data["lines"], customer, zero_price=data["order_type"] == "sample")
    order.lines = lines
    order.customer_id, order.customer_name = customer["id"], customer["name"]
    order.customer_level = customer.get("value_level")
    order.currency, order.payment_terms_days = data["currency"], data["payment_terms_days"]
    order.order_type, order.notes = data["order_type"], data.get("notes")
    order.total = order_total(line.amount for line in lines)
    order.max_discount_percent, order.discount_over_limit = max_discount, over_limit


def create(uow, principal: Principal, payload, customer_lookup) -> dict:
    principal.require("orders.write")
    data = load_body(OrderIn(), payload)
    customer = _visible_customer(customer_lookup, data["customer_id"])
    with uow:
        prefix = "SP" if data["order_type"] == "sample" else "SO"
        order = Order(id=new_id(), number=uow.next_number(f"{prefix}-{principal.branch}"), status="draft",
                      **ownership_of(principal))
        _fill(uow.session, principal, order, data, customer)
        uow.session.add(order)
        uow.session.flush()
        return OrderDetailOut().dump(order)


def update(uow, principal: Principal, order_id, payload, customer_lookup) -> dict:
    """Replace a draft's content; submitted and approved orders are locked."""
    principal.require("orders.write")
    data = load_body(OrderIn(), payload)
    customer = _visible_customer(customer_lookup, data["customer_id"])
    with uow:
        order = _find(uow.session, principal, order_id, for_update=True)
        if order.status not in EDITABLE:
            raise Conflict(f"An order that is {order.status} cannot be edited")
        _fill(uow.session, principal, order, data, customer)
        uow.session.flush()
        return OrderDetailOut().dump(order)


def get(uow, principal: Principal, order_id) -> dict:
    principal.require("orders.read")
    with uow:
        return OrderDetailOut().dump(_find(uow.session, principal, order_id))


def approval_history(uow, principal: Principal, order_id) -> list:
    principal.require("orders.read")
    with uow:
        order = _find(uow.session, principal, order_id)
        return instances_out(approvals.history(uow.session, "order", order.id))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("orders.read")
    q = load_query(OrderListQuery(), query)
    stmt = select(Order).where(scope_filter(principal, Order))
    for field in ("status", "number", "order_type"):
        if field in q:
            stmt = stmt.where(getattr(Order, field) == q[field])
    for field in ("customer_id", "owner_id"):
        if field in q:
            stmt = stmt.where(getattr(Order, field) == str(q[field]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Order.id, q, SORTS, "-created_at")
        return {"items": OrderOut(many=True).dump(rows), "next_cursor": cursor}


def _transition(order: Order, action: str) -> None:
    try:
        order.status = next_status(order.status, action)
    except TransitionNotAllowed as exc:
        raise Conflict(str(exc)) from None


def _event_data(order: Order) -> dict:
    return {"order_id": order.id, "number": order.number, "customer_id": order.customer_id,
            "total": order.total, "currency": order.currency, "owner_id": order.owner_id,
            "department_path": order.department_path, "branch": order.branch}


def _approved(uow, order: Order, principal: Principal, comment) -> None:
    _transition(order, "approve")
    order.approved_at, order.approved_by, order.decision_comment = utcnow(), principal.user_id, comment
    uow.emit("sales.order_approved", {
        **_event_data(order), "payment_terms_days": order.payment_terms_days,
        "approved_by": principal.user_id,
        "lines": [{"line_id": line.id, "product_id": line.product_id,
                   "product_name": line.product_name, "quantity": line.quantity,
                   "unit_price": line.unit_price, "amount": line.amount} for line in order.lines],
    })


def _facts(order: Order) -> dict:
    return {"amount": str(order.total), "currency": order.currency,
            "discount_percent": str(order.max_discount_percent), "customer_level": order.customer_level,
            "discount_over_limit": order.discount_over_limit}


def submit(uow, principal: Principal, order_id, payload=None) -> dict:
    principal.require("orders.write")
    load_body(NoInput(), payload or {})
    with uow:
        order = _find(uow.session, principal, order_id, for_update=True)
        _transition(order, "submit")
        order.submitted_at = utcnow()
        uow.emit("sales.order_submitted", _event_data(order))
        instance = approvals.start(uow, principal, "order", order, _facts(order))
        if instance.status == "approved":  # no step of the flow applies to this order
            _approved(uow, order, principal, "No approval step applies")
        return OrderDetailOut().dump(order)


def _decide(uow, principal: Principal, order_id, action: str, data: dict) -> dict:
    principal.require("orders.approve")
    with uow:
        order = _find(uow.session, principal, order_id, for_update=True)
        if order.status != "submitted":
            raise Conflict(f"Cannot {action} an order that is {order.status}")
        outcome = approvals.decide(uow, principal, "order", order.id, action, data)
        if outcome == "approved":
            _approved(uow, order, principal, data.get("comment"))
        elif outcome == "rejected":
            _transition(order, "reject")
            order.decision_comment = data["comment"]
        return OrderDetailOut().dump(order)


def approve(uow, principal: Principal, order_id, payload) -> dict:
    return _decide(uow, principal, order_id, "approve", load_body(DecisionIn(), payload or {}))


def reject(uow, principal: Principal, order_id, payload) -> dict:
    return _decide(uow, principal, order_id, "reject", load_body(RejectionIn(), payload))


def _simple(action: str):
    def use_case(uow, principal: Principal, order_id, payload=None) -> dict:
        principal.require("orders.write")
        load_body(NoInput(), payload or {})
        with uow:
            order = _find(uow.session, principal, order_id, for_update=True)
            _transition(order, action)
            if action == "cancel":
                approvals.withdraw(uow, principal, "order", order.id)
            if action in ENDED:
                uow.emit(ENDED[action], _event_data(order))
            return OrderDetailOut().dump(order)
    return use_case


# an approved order that ends stops being open (the customers service's money picture counts them)
ENDED = {"complete": "sales.order_completed", "close": "sales.order_closed"}


cancel, complete, close = _simple("cancel"), _simple("complete"), _simple("close")


# --- per-line progress from logistics and finance events (SAL-06) -----------------------------

def _locked_lines(session, order_id: str) -> dict:
    rows = session.execute(select(OrderLine).where(OrderLine.order_id == order_id)
                           .order_by(OrderLine.line_no).with_for_update()).scalars()
    return {line.id: line for line in rows}


def record_shipment(uow, data: dict, sign: int = 1) -> None:
    """Shipped goods add to each line's shipped quantity; a cancelled shipment (sign -1) takes it back."""
    lines = _locked_lines(uow.session, data["order_id"])
    for shipped in data["lines"]:
        line = lines.get(shipped["order_line_id"])
        if line is None:  # not ours: a line id of another order is ignored, not applied elsewhere
            continue
        line.shipped += sign * Decimal(shipped["quantity"])


def record_invoice(uow, data: dict) -> None:
    """An issued invoice (tax included, like the lines) adds to the lines it names, or fills the
    lines in line order when it bills the order as a whole."""
    lines = list(_locked_lines(uow.session, data["order_id"]).values())
    named = {}
    for item in data["lines"]:
        named[item["order_line_id"]] = named.get(item["order_line_id"], Decimal("0")) + Decimal(item["amount"])
    unsplit = Decimal(data["amount"]) - sum(named.values(), Decimal("0"))
    invoiced = allocate_invoice([(line.amount, line.invoiced) for line in lines],
                                [named.get(line.id, Decimal("0")) for line in lines], unsplit)
    for line, value in zip(lines, invoiced, strict=True):
        line.invoiced = value


def record_receipt(uow, data: dict) -> None:
    lines = list(_locked_lines(uow.session, data["order_id"]).values())
    shares = allocate_receipt(Decimal(data["amount"]), [(line.amount, line.received) for line in lines])
    for line, share in zip(lines, shares, strict=True):
        line.received += share


def record_receipt_reversed(uow, data: dict) -> None:
    lines = list(_locked_lines(uow.session, data["order_id"]).values())
    shares = allocate_reversal(Decimal(data["amount"]), [line.received for line in lines])
    for line, share in zip(lines, shares, strict=True):
        line.received -= share
