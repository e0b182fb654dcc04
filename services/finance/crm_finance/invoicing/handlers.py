"""An approved order's lines are kept, so invoices can be split per line."""
from decimal import Decimal

from sqlalchemy import select

from crm_finance.invoicing.models import OrderLine


def record_order_lines(uow, order: dict) -> None:
    """Handle sales.order_approved inside the handler's unit of work (already entered)."""
    session = uow.session
    if session.execute(select(OrderLine.id).where(OrderLine.order_id == order["order_id"])).first():
        return
    session.add_all(OrderLine(id=line["line_id"], order_id=order["order_id"], position=position,
                              product_name=line["product_name"],
                              amount=line["amount"], invoiced=Decimal(0))
                    for position, line in enumerate(order["lines"]))
