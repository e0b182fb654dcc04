"""Use cases for returns (SAL-09): request against an approved order, approval through the engine,
then `sales.return_approved` for logistics (receive the goods) and finance (refund).

Quantities never exceed what was shipped: the order's lines are locked (FOR UPDATE) while a
return is checked against shipped minus what other open or approved returns already claim.
"""
from decimal import Decimal

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_common.money import line_amount, total
from crm_common.principal import Principal
from crm_common.validation import load_body
from crm_sales.approvals import use_cases as approvals
from crm_sales.approvals.schemas import DecisionIn, RejectionIn
from crm_sales.orders import queries as orders
from crm_sales.orders.models import OrderLine
from crm_sales.returns.models import Return, ReturnLine
from crm_sales.returns.queries import already_claimed, find
from crm_sales.returns.rules import LIFECYCLE, RETURNABLE_ORDERS
from crm_sales.returns.schemas import ReturnIn, ReturnOut


def create(uow, principal: Principal, payload) -> dict:
    principal.require("orders.write")
    data = load_body(ReturnIn(), payload)
    with uow:
        try:
            order = orders.find(uow.session, principal, data["order_id"], for_update=True)
        except NotFound:
            raise InvalidInput("Unknown order", {"order_id": ["No such order in your scope."]}) from None
        if order.status not in RETURNABLE_ORDERS:
            raise Conflict(f"Goods cannot be returned against an order that is {order.status}")
        lines = {line.id: line for line in uow.session.execute(
            select(OrderLine).where(OrderLine.order_id == order.id).with_for_update()).scalars()}
        claimed = already_claimed(uow.session, list(lines))
        errors, out = {}, []
        for index, entry in enumerate(data["lines"]):
            line = lines.get(str(entry["order_line_id"]))
            if line is None:
                errors[str(index)] = {"order_line_id": ["Not a line of this order."]}
                continue
            available = line.shipped - claimed.get(line.id, Decimal("0"))
            if entry["quantity"] > available:
                errors[str(index)] = {"quantity": [f"At most {available} can still be returned (shipped "
                                                   f"{line.shipped})."]}
                continue
            out.append(ReturnLine(id=new_id(), line_no=index + 1, order_line_id=line.id, product_id=line.product_id,
                                  quantity=entry["quantity"], unit_price=line.unit_price,
                                  amount=line_amount(entry["quantity"], line.unit_price)))
        if errors:
            raise InvalidInput("Invalid return lines", {"lines": errors})
        record = Return(id=new_id(), number=uow.document_number("return", order.branch), order_id=order.id,
                        customer_id=order.customer_id, currency=order.currency, status="submitted",
                        reason=data["reason"], total=total(line.amount for line in out), lines=out,
                        owner_id=order.owner_id, department_path=order.department_path, branch=order.branch)
        uow.session.add(record)
        uow.session.flush()
        instance = approvals.start(uow, principal, "return", record, {
            "amount": str(record.total), "currency": record.currency, "discount_percent": "0",
            "customer_level": order.customer_level, "discount_over_limit": False,
            "customer_name": order.customer_name, "order_number": order.number})
        if instance.status == "approved":
            _approved(uow, record)
        return ReturnOut().dump(record)


def _approved(uow, record: Return) -> None:
    LIFECYCLE.apply(record, "approve")
    uow.emit("sales.return_approved", {
        "return_id": record.id, "number": record.number, "order_id": record.order_id,
        "customer_id": record.customer_id, "total": record.total, "currency": record.currency,
        "owner_id": record.owner_id, "department_path": record.department_path, "branch": record.branch,
        "lines": [{"order_line_id": line.order_line_id, "product_id": line.product_id, "quantity": line.quantity,
                   "unit_price": line.unit_price, "amount": line.amount} for line in record.lines]})


def _decide(uow, principal: Principal, return_id, action: str, data: dict) -> dict:
    principal.require("orders.approve")
    with uow:
        record = find(uow.session, principal, return_id, for_update=True, deciding=True)
        LIFECYCLE.next_status(record.status, action)  # refused before the engine records anything
        outcome = approvals.decide(uow, principal, "return", record.id, action, data)
        if outcome == "approved":
            _approved(uow, record)
        elif outcome == "rejected":
            LIFECYCLE.apply(record, "reject")
        record.decision_comment = data.get("comment")
        return ReturnOut().dump(record)


def approve(uow, principal: Principal, return_id, payload) -> dict:
    return _decide(uow, principal, return_id, "approve", load_body(DecisionIn(), payload or {}))


def reject(uow, principal: Principal, return_id, payload) -> dict:
    return _decide(uow, principal, return_id, "reject", load_body(RejectionIn(), payload))
