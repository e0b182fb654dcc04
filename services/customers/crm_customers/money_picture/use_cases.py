"""How sales and finance events change the money picture. Each runs inside the idempotent
handler's unit of work (crm_common.events.handlers): a redelivered event changes nothing."""
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert

from crm_customers.money_picture.models import OrderFigure, ReceivableFigure


def _upsert(session, model, key: str, values: dict) -> None:
    """Insert the row, or set only `values` on the stored one (what other events set stays)."""
    stmt = insert(model).values(**values)
    changes = {name: stmt.excluded[name] for name in values if name != key}
    session.execute(stmt.on_conflict_do_update(index_elements=[key], set_={**changes, "updated_at": func.now()}))


def _order(data: dict) -> dict:
    return {"order_id": data["order_id"], "customer_id": data["customer_id"], "total": data["total"],
            "currency": data["currency"]}


def order_approved(session, data: dict, at: datetime) -> None:
    _upsert(session, OrderFigure, "order_id", {**_order(data), "approved_at": at})


def order_ended(session, data: dict, at: datetime) -> None:
    """sales.order_completed or sales.order_closed: the order is no longer open."""
    _upsert(session, OrderFigure, "order_id", {**_order(data), "ended_at": at})


def receivable_opened(session, data: dict) -> None:
    _upsert(session, ReceivableFigure, "receivable_id", {
        "receivable_id": data["receivable_id"], "customer_id": data["customer_id"], "amount": data["amount"],
        "currency": data["currency"], "due_date": data["due_date"]})


def receivable_reduced(session, data: dict) -> None:
    _upsert(session, ReceivableFigure, "receivable_id", {
        "receivable_id": data["receivable_id"], "customer_id": data["customer_id"], "currency": data["currency"],
        "reduced_amount": data["amount"]})


def receipt(session, data: dict, sign: int) -> None:
    """finance.receipt_recorded (+1) or finance.receipt_reversed (−1) on the receivable."""
    amount = sign * Decimal(data["amount"])
    stmt = insert(ReceivableFigure).values(receivable_id=data["receivable_id"], received=amount)
    session.execute(stmt.on_conflict_do_update(index_elements=["receivable_id"], set_={
        "received": ReceivableFigure.received + stmt.excluded.received, "updated_at": func.now()}))


def customer_merged(session, data: dict) -> None:
    """The survivor of a merge (CUS-11) carries the merged-away customer's money from now on."""
    for model in (OrderFigure, ReceivableFigure):
        session.execute(update(model).where(model.customer_id == data["source_id"])
                        .values(customer_id=data["target_id"], updated_at=func.now()))
