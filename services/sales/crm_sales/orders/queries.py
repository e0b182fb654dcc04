"""Reads of orders: one order, lists, its approvals, and the sample report (SAL-12: samples are
zero-price orders of type `sample`; the report sums what went out per product)."""
from functools import lru_cache

from sqlalchemy import bindparam, func, select

from crm_common import branch_time, exports
from crm_common.exports import Column
from crm_common.folding import attributes
from crm_common.pagination import (keyset_order, keyset_rows, keyset_subquery, keyset_values, page_columns,
                                   resolve_sort)
from crm_common.principal import Principal, scope_condition, scope_filter, scope_shape, scope_values
from crm_common.records import get_in_scope
from crm_common.validation import load_query
from crm_sales.approvals import queries as approvals
from crm_sales.orders.models import Order, OrderLine
from crm_sales.orders.rules import SOLD
from crm_sales.orders.schemas import (OrderDetailOut, OrderExportQuery, OrderListQuery, OrderOut,
                                      SampleReportOut, SampleReportQuery)

SORTS = {"created_at": Order.created_at, "number": Order.number, "total": Order.total}


def find(session, principal, order_id, for_update=False, deciding=False) -> Order:
    """In the caller's scope, or an order they are (or were) asked to approve: they read it, and
    decide it (`deciding`), but never change it."""
    return get_in_scope(session, Order, order_id, principal, for_update=for_update,
                        **approvals.approver_scope(principal, ("order", "discount"), Order.id, for_update, deciding))


def get(uow, principal: Principal, order_id) -> dict:
    principal.require("orders.read")
    with uow.reading():
        return OrderDetailOut.shared().dump(find(uow.session, principal, order_id))


def approval_history(uow, principal: Principal, order_id) -> list:
    principal.require("orders.read")
    with uow:
        order = find(uow.session, principal, order_id)
        return approvals.history_out(uow.session, principal, "order", order.id)


_LIST_QUERY = OrderListQuery()  # loading keeps nothing in the schema; building one copies its fields
_FILTERS = ("status", "number", "order_type", "customer_id", "owner_id")
_UUID_FILTERS = ("customer_id", "owner_id")
# the columns a listed order shows (OrderOut), read as columns: no ORM entity per row
_COLUMNS = tuple(column.label(key) for key, column in attributes(Order) if key in OrderOut._declared_fields)


def list_(uow, principal: Principal, query) -> dict:
    """A page of the orders in the caller's scope: one statement built once per shape (scope,
    filters present, sort, cursor: list_statement) with every value bound, its rows read as
    columns (tests/orders/test_list.py: the same answer as the ORM entities of `filtered`)."""
    principal.require("orders.read")
    q = load_query(_LIST_QUERY, query)
    with uow.reading():
        sort, column, _, values = keyset_values(q, SORTS, "-created_at")
        present = tuple(field for field in _FILTERS if field in q)
        stmt = list_statement(scope_shape(principal), present, sort, "after_value" in values)
        values.update(scope_values(principal),
                      **{field: str(q[field]) if field in _UUID_FILTERS else q[field] for field in present})
        result = uow.session.connection().execute(stmt, values)
        names = tuple(result.keys())
        found, cursor = keyset_rows([dict(zip(names, row, strict=True)) for row in result.all()], q["limit"], sort,
                                    column, Order.id)
        return {"items": OrderOut.shared(many=True).dump(found), "next_cursor": cursor}


@lru_cache(maxsize=128)
def list_statement(shape: str, filters: tuple, sort: str, after: bool):
    """The list's statement for a scope `shape`, the filters present, the sort and whether a
    cursor is given; every value a bind parameter (list_ gives them)."""
    stmt = select(*_COLUMNS).where(scope_condition(shape, Order, bindparam),
                                   *(getattr(Order, field) == bindparam(field) for field in filters))
    _, column, descending = resolve_sort(sort, SORTS, "-created_at")
    sub = keyset_subquery(stmt, Order.id, column, descending, after)
    return select(*page_columns(sub)).order_by(*keyset_order(sub, Order.id, column, descending))


def filtered(principal: Principal, q: dict):
    stmt = select(Order).where(scope_filter(principal, Order))
    for field in ("status", "number", "order_type"):
        if field in q:
            stmt = stmt.where(getattr(Order, field) == q[field])
    for field in _UUID_FILTERS:
        if field in q:
            stmt = stmt.where(getattr(Order, field) == str(q[field]))
    return stmt


STATUS_LABELS = {"draft": "草稿", "submitted": "已提交", "approved": "已审核", "rejected": "驳回",
                 "cancelled": "作废", "completed": "已完成", "closed": "已关闭"}
_EXPORT = (Column("number", "订单编号", Order.number), Column("customer_name", "客户名称", Order.customer_name),
           Column("order_type", "订单类型", exports.labelled({"sale": "销售", "sample": "样品"}, Order.order_type)),
           Column("status", "状态", exports.labelled(STATUS_LABELS, Order.status)),
           Column("total", "金额", Order.total), Column("currency", "币种", Order.currency),
           Column("payment_terms_days", "账期(天)", Order.payment_terms_days),
           Column("owner_id", "负责人", Order.owner_id, "user"), Column("submitted_at", "提交时间", Order.submitted_at),
           Column("approved_at", "审核时间", Order.approved_at), Column("created_at", "创建时间", Order.created_at),
           Column("notes", "备注", Order.notes))


def export(uow, principal: Principal, query, cursor) -> dict:
    """A page of the orders list as the export walks it (the list's filters and scope)."""
    principal.require("orders.export")
    q = load_query(OrderExportQuery(), query)
    with uow:
        return exports.page(uow.session, filtered(principal, q), Order, _EXPORT, cursor,
                            resource="order", field_rules=principal.field_rules)


def sample_report(uow, principal: Principal, query) -> dict:
    principal.require("orders.read")
    q = load_query(SampleReportQuery(), query)
    stmt = (select(OrderLine.product_id, OrderLine.product_code, OrderLine.product_name,
                   func.sum(OrderLine.quantity), func.sum(OrderLine.shipped), func.count(func.distinct(Order.id)),
                   func.count(func.distinct(Order.customer_id)))
            .join(Order, Order.id == OrderLine.order_id)
            .where(scope_filter(principal, Order), Order.order_type == "sample", Order.status.in_(SOLD))
            .group_by(OrderLine.product_id, OrderLine.product_code, OrderLine.product_name)
            .order_by(OrderLine.product_code))
    zone = branch_time.zone()  # the report's days are the branch's
    if "since" in q:
        stmt = stmt.where(Order.approved_at >= branch_time.start_of_day(q["since"], zone))
    if "until" in q:
        stmt = stmt.where(Order.approved_at < branch_time.end_of_day(q["until"], zone))
    with uow:
        rows = uow.session.execute(stmt).all()
    return SampleReportOut().dump({"items": [
        {"product_id": pid, "product_code": code, "product_name": name, "quantity": qty, "shipped": shipped,
         "orders": orders, "customers": customers} for pid, code, name, qty, shipped, orders, customers in rows]})
