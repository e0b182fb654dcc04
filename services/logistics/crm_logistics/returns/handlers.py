"""Returned goods are expected once sales approves a return."""
from decimal import Decimal

from sqlalchemy import select

from crm_common.database import new_id
from crm_logistics.db import SCOPE
from crm_logistics.returns import rules
from crm_logistics.returns.models import GoodsReturn, GoodsReturnLine


def open_for_return(uow, data: dict) -> None:
    """Handle sales.return_approved inside the handler's unit of work (already entered)."""
    if uow.session.execute(select(GoodsReturn.id).where(GoodsReturn.return_id == data["return_id"])).first():
        return
    uow.session.add(GoodsReturn(
        id=new_id(), return_id=data["return_id"], order_id=data["order_id"], customer_id=data["customer_id"],
        status=rules.EXPECTED, **{key: data[key] for key in SCOPE},
        lines=[GoodsReturnLine(id=new_id(), position=position, order_line_id=line["order_line_id"],
                               product_id=line["product_id"], expected=line["quantity"], received=Decimal(0))
               for position, line in enumerate(data["lines"])]))
