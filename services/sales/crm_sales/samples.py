"""Sample report (SAL-12): samples are zero-price orders (`order_type: sample`); this sums what
went out per product, within the caller's data scope."""
from marshmallow import fields
from sqlalchemy import func, select

from crm_common.principal import Principal, scope_filter
from crm_common.validation import StrictSchema, load_query
from crm_sales.models import Order, OrderLine
from crm_sales.schemas import SampleReportOut

SENT = ("approved", "completed", "closed")


class SampleReportQuery(StrictSchema):
    since = fields.Date()
    until = fields.Date()  # inclusive


def report(uow, principal: Principal, query) -> dict:
    principal.require("orders.read")
    q = load_query(SampleReportQuery(), query)
    stmt = (select(OrderLine.product_id, OrderLine.product_code, OrderLine.product_name,
                   func.sum(OrderLine.quantity), func.sum(OrderLine.shipped), func.count(func.distinct(Order.id)),
                   func.count(func.distinct(Order.customer_id)))
            .join(Order, Order.id == OrderLine.order_id)
            .where(scope_filter(principal, Order), Order.order_type == "sample", Order.status.in_(SENT))
            .group_by(OrderLine.product_id, OrderLine.product_code, OrderLine.product_name)
            .order_by(OrderLine.product_code))
    if "since" in q:
        stmt = stmt.where(func.date(Order.approved_at) >= q["since"])
    if "until" in q:
        stmt = stmt.where(func.date(Order.approved_at) <= q["until"])
    with uow:
        rows = uow.session.execute(stmt).all()
    return SampleReportOut().dump({"items": [
        {"product_id": pid, "product_code": code, "product_name": name, "quantity": qty, "shipped": shipped,
         "orders": orders, "customers": customers} for pid, code, name, qty, shipped, orders, customers in rows]})
