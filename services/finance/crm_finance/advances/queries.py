"""Reads of an order's advance receipts."""
from sqlalchemy import select

from crm_common.money import total
from crm_common.principal import Principal
from crm_common.records import get_in_scope
from crm_finance.advances import rules
from crm_finance.advances.models import AdvanceReceipt, OrderFacts
from crm_finance.advances.schemas import AdvanceListOut

LIMIT = 200  # an order takes a handful of advances; the list is not paged


def list_for_order(uow, principal: Principal, order_id) -> dict:
    principal.require("receipts.read")
    with uow.reading():
        order = get_in_scope(uow.session, OrderFacts, order_id, principal)
        items = uow.session.execute(select(AdvanceReceipt).where(AdvanceReceipt.order_id == order.id)
                                    .order_by(AdvanceReceipt.number).limit(LIMIT)).scalars().all()
        return AdvanceListOut().dump({
            "order_id": order.id, "order_number": order.number, "total": order.total, "currency": order.currency,
            "held": total(a.amount for a in items if a.status == rules.HELD),
            "applied": total(a.amount for a in items if a.status == rules.APPLIED), "items": items})
