"""Use cases for sales orders (SAL-06): draft, price, submit into the approval engine, decide,
cancel/complete/close.

The order row is locked (FOR UPDATE) for every state change, so two approvers racing on the
same step resolve to exactly one decision and at most one `sales.order_approved` event.
"""
from datetime import date

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.money import total
from crm_common.principal import Principal
from crm_common.records import ownership_of, utcnow
from crm_common.validation import NoInput, load_body, load_patch
from crm_sales.approvals import use_cases as approvals
from crm_sales.approvals.schemas import DecisionIn, RejectionIn, SubmitIn
from crm_sales.catalog.use_cases import price_lines
from crm_sales.clients import visible_customer
from crm_sales.orders import rules
from crm_sales.orders.models import Order, OrderLine
from crm_sales.orders.queries import find
from crm_sales.orders.rules import EDITABLE, LIFECYCLE
from crm_sales.orders.schemas import EndIn, OrderDetailOut, OrderIn


def _fill(session, principal, order: Order, data: dict, customer: dict) -> None:
    lines, max_discount, over_limit = price_lines(
        session, principal, data["lines"], customer, OrderLine, zero_price=data["order_type"] == "sample")
    order.lines = lines
    order.customer_id, order.customer_name = customer["id"], customer["name"]
    order.customer_level = customer.get("value_level")
    order.currency, order.payment_terms_days = data["currency"], data["payment_terms_days"]
    order.order_type, order.notes = data["order_type"], data.get("notes")
    order.total = total(line.amount for line in lines)
    order.max_discount_percent, order.discount_over_limit = max_discount, over_limit


def _set_plan(order: Order, plan: list) -> None:
    """The payment plan as agreed, checked against the order's total as it is now."""
    instalments = [(item["due_date"], item["amount"]) for item in plan]
    errors = rules.plan_errors(order.total, instalments)
    if errors:
        raise InvalidInput("Invalid payment plan", {"payment_plan": errors})
    order.payment_plan = [{"due_date": due.isoformat(), "amount": str(amount)} for due, amount in instalments]


def create(uow, principal: Principal, payload, customer_lookup) -> dict:
    principal.require("orders.write")
    data = load_body(OrderIn(), payload)
    customer = visible_customer(customer_lookup, data["customer_id"])
    with uow:
        kind = "sample_order" if data["order_type"] == "sample" else "order"
        order = Order(id=new_id(), number=uow.document_number(kind, principal.branch), status="draft",
                      **ownership_of(principal))
        _fill(uow.session, principal, order, data, customer)
        _set_plan(order, data.get("payment_plan", []))
        uow.session.add(order)
        uow.session.flush()
        return OrderDetailOut().dump(order)


# what the lines' prices depend on: sending one of them prices the lines again
PRICED_BY = {"customer_id", "lines", "order_type"}


def update(uow, principal: Principal, order_id, payload, customer_lookup) -> dict:
    """Change what is sent of a draft; the rest stays. Submitted and approved orders are locked."""
    principal.require("orders.write")
    with uow:
        order = find(uow.session, principal, order_id, for_update=True)
        if order.status not in EDITABLE:
            raise Conflict(f"An order that is {order.status} cannot be edited")
        data, given = load_patch(OrderIn, payload, order)
        if given & PRICED_BY:
            if "lines" not in given:  # the same products and quantities, priced for the new terms
                data["lines"] = [{k: v for k, v in line.items() if k != "discount_percent"} for line in data["lines"]]
            _fill(uow.session, principal, order, data, visible_customer(customer_lookup, data["customer_id"]))
        else:
            order.currency, order.payment_terms_days = data["currency"], data["payment_terms_days"]
            order.notes = data.get("notes")
        if given & (PRICED_BY | {"payment_plan"}):  # a new total must still be what the plan adds up to
            _set_plan(order, data.get("payment_plan", []))
        uow.session.flush()
        return OrderDetailOut().dump(order)


def _event_data(order: Order) -> dict:
    return {"order_id": order.id, "number": order.number, "customer_id": order.customer_id,
            "total": order.total, "currency": order.currency, "owner_id": order.owner_id,
            "department_path": order.department_path, "branch": order.branch}


def _approved(uow, order: Order, principal: Principal, comment) -> None:
    LIFECYCLE.apply(order, "approve")
    order.approved_at, order.approved_by, order.decision_comment = utcnow(), principal.user_id, comment
    uow.emit("sales.order_approved", {
        **_event_data(order), "payment_terms_days": order.payment_terms_days,
        "approved_by": principal.user_id, "approved_at": order.approved_at, "order_type": order.order_type,
        "payment_plan": [{"due_date": date.fromisoformat(item["due_date"]), "amount": item["amount"]}
                         for item in order.payment_plan],
        "lines": [{"line_id": line.id, "product_id": line.product_id,
                   "product_name": line.product_name, "quantity": line.quantity,
                   "unit_price": line.unit_price, "amount": line.amount} for line in order.lines],
    })


def _facts(order: Order) -> dict:
    # customer and lines besides what conditions read: what an approver decides on, on the desk
    return {"amount": str(order.total), "currency": order.currency,
            "discount_percent": str(order.max_discount_percent), "customer_level": order.customer_level,
            "discount_over_limit": order.discount_over_limit, "customer_name": order.customer_name,
            "lines": [{"product_name": line.product_name, "quantity": str(line.quantity),
                       "unit_price": str(line.unit_price), "amount": str(line.amount)} for line in order.lines]}


def _preview_facts(session, principal: Principal, order_id) -> tuple[dict, str]:
    order = find(session, principal, order_id)
    return _facts(order), order.branch


approvals.FACTS["order"] = _preview_facts


def submit(uow, principal: Principal, order_id, payload=None) -> dict:
    principal.require("orders.write")
    data = load_body(SubmitIn(), payload or {})
    with uow:
        order = find(uow.session, principal, order_id, for_update=True)
        LIFECYCLE.apply(order, "submit")
        order.submitted_at = utcnow()
        uow.emit("sales.order_submitted", _event_data(order))
        instance = approvals.start(uow, principal, "order", order, _facts(order), data.get("approvers"))
        if instance.status == "approved":  # no step of the flow applies to this order
            _approved(uow, order, principal, "No approval step applies")
        return OrderDetailOut().dump(order)


def _decide(uow, principal: Principal, order_id, action: str, data: dict) -> dict:
    principal.require("orders.approve")
    with uow:
        order = find(uow.session, principal, order_id, for_update=True, deciding=True)
        LIFECYCLE.next_status(order.status, action)  # refused before the engine records anything
        outcome = approvals.decide(uow, principal, "order", order.id, action, data)
        if outcome == "approved":
            _approved(uow, order, principal, data.get("comment"))
        elif outcome == "rejected":
            LIFECYCLE.apply(order, "reject")
            order.decision_comment = data["comment"]
        return OrderDetailOut().dump(order)


def approve(uow, principal: Principal, order_id, payload) -> dict:
    return _decide(uow, principal, order_id, "approve", load_body(DecisionIn(), payload or {}))


def reject(uow, principal: Principal, order_id, payload) -> dict:
    return _decide(uow, principal, order_id, "reject", load_body(RejectionIn(), payload))


def withdraw(uow, principal: Principal, order_id, payload=None) -> dict:
    """撤回: the submitter takes the order back to draft while it waits for approval."""
    principal.require("orders.write")
    load_body(NoInput(), payload or {})
    with uow:
        order = find(uow.session, principal, order_id, for_update=True)
        LIFECYCLE.next_status(order.status, "withdraw")
        approvals.withdraw_by_submitter(uow, principal, "order", order.id)
        LIFECYCLE.apply(order, "withdraw")
        return OrderDetailOut().dump(order)


def cancel(uow, principal: Principal, order_id, payload=None) -> dict:
    principal.require("orders.write")
    load_body(NoInput(), payload or {})
    with uow:
        order = find(uow.session, principal, order_id, for_update=True)
        LIFECYCLE.apply(order, "cancel")
        approvals.withdraw(uow, principal, "order", order.id)
        uow.emit("sales.order_cancelled", _event_data(order))
        return OrderDetailOut().dump(order)


def _ending(action: str):
    """Completing or closing an approved order ends what follows it: the event tells logistics to
    release what was not shipped (and refuse any further shipment), and finance to cut the
    receivable to the shipped value (docs/sales.md, "Ending an order")."""
    def use_case(uow, principal: Principal, order_id, payload=None) -> dict:
        principal.require("orders.write")
        data = load_body(EndIn(), payload or {})
        with uow:
            order = find(uow.session, principal, order_id, for_update=True)
            LIFECYCLE.apply(order, action)
            # closing a completed order keeps the reason it was completed with (nothing more ends)
            order.end_reason = order.end_reason or data["reason"] or ENDED[action][1]
            uow.emit(ENDED[action][0], {**_event_data(order), "reason": order.end_reason})
            return OrderDetailOut().dump(order)
    return use_case


# an approved order that ends stops being open (the customers service's money picture counts
# them) and stops what follows it; (event, the reason shown when the caller gives none)
ENDED = {"complete": ("sales.order_completed", "订单完成"), "close": ("sales.order_closed", "订单关闭")}


complete, close = _ending("complete"), _ending("close")
