"""Reads of receivables, their payment plans and receipts."""
from sqlalchemy import select

from crm_common import exports
from crm_common.counting import CountsQuery, capped_counts
from crm_common.errors import NotFound
from crm_common.exports import Column
from crm_common.approvers import get_in_scope_or_approver
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, is_uuid
from crm_common.validation import load_query
from crm_finance.approvals.rules import RECEIPT
from crm_finance.db import today
from crm_finance.receivables import rules
from crm_finance.receivables.models import Receipt, Receivable
from crm_finance.receivables.schemas import (PlanOut, ReceiptListQuery, ReceiptOut, ReceivableDetailOut,
                                             ReceivableExportQuery, ReceivableListQuery, ReceivableOut)

SORTS = {"created_at": Receivable.created_at, "due_date": Receivable.due_date}
RECEIPT_SORTS = {"created_at": Receipt.created_at, "received_on": Receipt.received_on, "number": Receipt.number}


def get(uow, principal: Principal, receivable_id) -> dict:
    principal.require("receivables.read")
    with uow:
        receivable = get_in_scope(uow.session, Receivable, receivable_id, principal)
        return ReceivableDetailOut().dump(receivable)


def list_(uow, principal: Principal, query) -> dict:
    principal.require("receivables.read")
    q = load_query(ReceivableListQuery(), query)
    with uow:
        rows, cursor = keyset_page(uow.session, filtered(principal, q), Receivable.id, q, SORTS, "-created_at")
        return {"items": ReceivableOut(many=True).dump(rows), "next_cursor": cursor}


def tab_counts(uow, principal: Principal, customer_id, query) -> dict:
    """The count of the customer detail's 应收 tab: its receivables as the list pages them."""
    q = load_query(CountsQuery(), query)
    if not is_uuid(customer_id):
        raise NotFound("Customer not found")
    if not principal.has("receivables.read"):
        return {"receivables": None}
    with uow.reading():
        return capped_counts(uow.session, {"receivables": filtered(principal, {"customer_id": str(customer_id)})},
                             q["limit"])


def filtered(principal: Principal, q: dict):
    stmt = select(Receivable).where(scope_filter(principal, Receivable))
    for field in ("order_id", "customer_id", "status"):
        if field in q:
            stmt = stmt.where(getattr(Receivable, field) == str(q[field]))
    if "overdue" in q:
        overdue = Receivable.status.not_in(rules.SETTLED) & (Receivable.due_date < today())
        stmt = stmt.where(overdue if q["overdue"] else ~overdue)
    return stmt


_EXPORT = (Column("order_number", "订单编号", Receivable.order_number), Column("customer_id", "客户ID", Receivable.customer_id),
           Column("status", "状态", exports.labelled(rules.STATUS_LABELS, Receivable.status)),
           Column("currency", "币种", Receivable.currency), Column("amount", "应收金额", Receivable.amount),
           Column("received", "已收金额", Receivable.received),
           Column("outstanding", "欠款", (Receivable.amount - Receivable.received).label("outstanding"), "money"),
           Column("invoiced", "已开票金额", Receivable.invoiced), Column("due_date", "到期日", Receivable.due_date),
           Column("owner_id", "负责人", Receivable.owner_id, "user"), Column("created_at", "创建时间", Receivable.created_at))


def export(uow, principal: Principal, query, cursor) -> dict:
    """A page of the receivables list as the export walks it (the list's filters and scope)."""
    principal.require("receivables.export")
    q = load_query(ReceivableExportQuery(), query)
    with uow:
        return exports.page(uow.session, filtered(principal, q), Receivable, _EXPORT, cursor,
                            resource="receivable", field_rules=principal.field_rules)


def present_plan(receivable: Receivable) -> dict:
    allocation = rules.allocate(receivable.received, [i.amount for i in receivable.instalments])
    as_of = today()
    items = [{"position": instalment.position, "due_date": instalment.due_date, "amount": instalment.amount,
              "paid": paid, "status": rules.instalment_status(instalment.amount, paid, instalment.due_date, as_of)}
             for instalment, (_, paid) in zip(receivable.instalments, allocation, strict=True)]
    return PlanOut().dump({"receivable_id": receivable.id, "due_date": receivable.due_date, "instalments": items})


def get_plan(uow, principal: Principal, receivable_id) -> dict:
    principal.require("receivables.read")
    with uow:
        return present_plan(get_in_scope(uow.session, Receivable, receivable_id, principal))


def get_receipt(uow, principal: Principal, receipt_id, approves) -> dict:
    """A receipt in the caller's scope, or one they approve."""
    principal.require("receipts.read")
    with uow:
        return ReceiptOut().dump(get_in_scope_or_approver(uow.session, Receipt, receipt_id, principal,
                                                          lambda receipt: RECEIPT, approves))


def list_receipts(uow, principal: Principal, query) -> dict:
    principal.require("receipts.read")
    q = load_query(ReceiptListQuery(), query)
    stmt = select(Receipt).where(scope_filter(principal, Receipt))
    if "receivable_id" in q:
        stmt = stmt.where(Receipt.receivable_id == str(q["receivable_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Receipt.id, q, RECEIPT_SORTS, "-created_at")
        return {"items": ReceiptOut(many=True).dump(rows), "next_cursor": cursor}
