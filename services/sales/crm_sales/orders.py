"""Use cases for sales orders (SAL-06 core): draft, submit, approve/reject, cancel.

The order is locked (FOR UPDATE) for every state change, so two approvers racing on the
same order resolve to exactly one approval and one `sales.order_approved` event.
"""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, ownership_of, utcnow
from crm_common.validation import load_body, load_query
from crm_sales.models import Order, OrderLine, Product
from crm_sales.order_rules import EDITABLE, TransitionNotAllowed, line_amount, next_status, order_total
from crm_sales.schemas import DecisionIn, OrderDetailOut, OrderIn, OrderListQuery, OrderOut, RejectionIn

SORTS = {"created_at": Order.created_at, "number": Order.number, "total": Order.total}


def _visible_customer(customer_lookup, customer_id) -> dict:
    """Asks the customers service, as the caller, so an unseen customer cannot be sold to."""
    try:
        return customer_lookup(str(customer_id))
    except NotFound:
        raise InvalidInput("Unknown customer", {"customer_id": ["No such customer in your scope."]}) from None


def _priced_lines(session, lines_in) -> list[OrderLine]:
    ids = [str(line["product_id"]) for line in lines_in]
    products = {p.id: p for p in session.execute(select(Product).where(Product.id.in_(ids))).scalars()}
    errors, lines = {}, []
    for index, line in enumerate(lines_in):
        product = products.get(str(line["product_id"]))
        if product is None or not product.active:
            errors[str(index)] = {"product_id": ["Unknown or inactive product."]}
            continue
        lines.append(OrderLine(
            id=new_id(), line_no=index + 1, product_id=product.id, product_code=product.code,
            product_name=product.name, unit=product.unit, quantity=line["quantity"],
            unit_price=product.list_price, amount=line_amount(line["quantity"], product.list_price)))
    if errors:
        raise InvalidInput("Invalid order lines", {"lines": errors})
    return lines


def _find(session, principal, order_id, for_update=False) -> Order:
    return get_in_scope(session, Order, order_id, principal, for_update=for_update)


def create(uow, principal: Principal, payload, customer_lookup) -> dict:
    principal.require("orders.write")
    data = load_body(OrderIn(), payload)
    customer = _visible_customer(customer_lookup, data["customer_id"])
    with uow:
        lines = _priced_lines(uow.session, data["lines"])
        order = Order(
            id=new_id(), number=uow.next_number(f"SO-{principal.branch}"),
            customer_id=customer["id"], customer_name=customer["name"], currency=data["currency"],
            payment_terms_days=data["payment_terms_days"], notes=data.get("notes"), status="draft",
            total=order_total(line.amount for line in lines), lines=lines, **ownership_of(principal))
        uow.session.add(order)
        uow.session.flush()
        return OrderDetailOut().dump(order)


def update(uow, principal: Principal, order_id, payload, customer_lookup) -> dict:
    """Replace a draft's content; approved orders are locked."""
    principal.require("orders.write")
    data = load_body(OrderIn(), payload)
    customer = _visible_customer(customer_lookup, data["customer_id"])
    with uow:
        order = _find(uow.session, principal, order_id, for_update=True)
        if order.status not in EDITABLE:
            raise Conflict(f"An order that is {order.status} cannot be edited")
        lines = _priced_lines(uow.session, data["lines"])
        order.lines = lines
        order.customer_id, order.customer_name = customer["id"], customer["name"]
        order.currency, order.payment_terms_days = data["currency"], data["payment_terms_days"]
        order.notes = data.get("notes")
        order.total = order_total(line.amount for line in lines)
        uow.session.flush()
        return OrderDetailOut().dump(order)


def get(uow, principal: Principal, order_id) -> dict:
    principal.require("orders.read")
    with uow:
        return OrderDetailOut().dump(_find(uow.session, principal, order_id))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("orders.read")
    q = load_query(OrderListQuery(), query)
    stmt = select(Order).where(scope_filter(principal, Order))
    for field in ("status", "number"):
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


def submit(uow, principal: Principal, order_id) -> dict:
    principal.require("orders.write")
    with uow:
        order = _find(uow.session, principal, order_id, for_update=True)
        _transition(order, "submit")
        order.submitted_at = utcnow()
        uow.emit("sales.order_submitted", _event_data(order))
        return OrderDetailOut().dump(order)


def approve(uow, principal: Principal, order_id, payload) -> dict:
    principal.require("orders.approve")
    data = load_body(DecisionIn(), payload or {})
    with uow:
        order = _find(uow.session, principal, order_id, for_update=True)
        _transition(order, "approve")
        order.approved_at, order.approved_by = utcnow(), principal.user_id
        order.decision_comment = data.get("comment")
        uow.emit("sales.order_approved", {
            **_event_data(order), "payment_terms_days": order.payment_terms_days,
            "approved_by": principal.user_id,
            "lines": [{"line_id": line.id, "product_id": line.product_id,
                       "product_name": line.product_name, "quantity": line.quantity,
                       "unit_price": line.unit_price, "amount": line.amount} for line in order.lines],
        })
        return OrderDetailOut().dump(order)


def reject(uow, principal: Principal, order_id, payload) -> dict:
    principal.require("orders.approve")
    data = load_body(RejectionIn(), payload)
    with uow:
        order = _find(uow.session, principal, order_id, for_update=True)
        _transition(order, "reject")
        order.decision_comment = data["comment"]
        return OrderDetailOut().dump(order)


def cancel(uow, principal: Principal, order_id) -> dict:
    principal.require("orders.write")
    with uow:
        order = _find(uow.session, principal, order_id, for_update=True)
        _transition(order, "cancel")
        return OrderDetailOut().dump(order)
