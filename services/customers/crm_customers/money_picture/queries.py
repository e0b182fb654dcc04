"""The money picture of one customer, read from this service's own tables only."""
from decimal import Decimal

from sqlalchemy import func, select

from crm_common import branch_time
from crm_common.principal import Principal
from crm_common.records import utcnow
from crm_customers.customers.queries import find
from crm_customers.interactions.models import Interaction
from crm_customers.money_picture.models import OrderFigure, ReceivableFigure
from crm_customers.money_picture.rules import protection_days_left
from crm_customers.money_picture.schemas import SummaryOut

CURRENCY = "CNY"
ZERO = Decimal("0.00")


def summary(uow, principal: Principal, customer_id) -> dict:
    principal.require("customers.read")
    now, zone = utcnow(), branch_time.zone()
    with uow:
        s = uow.session
        customer = find(s, principal, customer_id, pool=True)  # whoever sees the customer sees its header
        in_currency = OrderFigure.currency == CURRENCY
        orders = s.execute(select(func.count(), func.sum(OrderFigure.total).filter(in_currency)).where(OrderFigure.customer_id == customer.id, OrderFigure.approved_at.is_not(None),
                OrderFigure.ended_at.is_(None))).one()
        # what was received beyond an ended order's shipped value is a refund, not negative debt
        owed = func.greatest(func.coalesce(ReceivableFigure.reduced_amount, ReceivableFigure.amount)
                             - ReceivableFigure.received, 0)
        overdue = ReceivableFigure.due_date < branch_time.today(now, zone)
        money = s.execute(select(
            func.sum(owed), func.sum(owed).filter(overdue), func.max(ReceivableFigure.updated_at),
        ).where(ReceivableFigure.customer_id == customer.id, ReceivableFigure.currency == CURRENCY,
                ReceivableFigure.amount.is_not(None))).one()
        # an ended order leaves the open figures but still says when the picture last changed
        touched = s.execute(select(func.max(OrderFigure.updated_at)).where(
            OrderFigure.customer_id == customer.id)).scalar()
        last_contact = s.execute(select(func.max(Interaction.occurred_at)).where(
            Interaction.customer_id == customer.id)).scalar()
        return SummaryOut().dump({
            "customer_id": customer.id, "currency": CURRENCY,
            "open_orders_count": orders[0], "open_orders_amount": orders[1] or ZERO,
            "outstanding_amount": money[0] or ZERO, "overdue_amount": money[1] or ZERO,
            "last_contact_at": last_contact,
            "protection_days_left": protection_days_left(customer.recycle_due_at, customer.in_pool, now, zone),
            "updated_at": max(filter(None, (touched, money[2])), default=None),
        })
