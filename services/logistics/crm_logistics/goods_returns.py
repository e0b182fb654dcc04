"""Use cases for receiving returned goods (LOG-05), opened by `sales.return_approved`."""
from decimal import Decimal

from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_body, load_query
from crm_logistics.models import GoodsReturn, GoodsReturnLine
from crm_logistics.schemas import GoodsReturnListQuery, GoodsReturnOut, ReceiveIn

SORTS = {"created_at": GoodsReturn.created_at}
SCOPE = ("owner_id", "department_path", "branch")
EXPECTED, PARTIAL, RECEIVED = "expected", "partially_received", "received"


def open_for_return(uow, data: dict) -> None:
    if uow.session.execute(select(GoodsReturn.id).where(GoodsReturn.return_id == data["return_id"])).first():
        return
    uow.session.add(GoodsReturn(
        id=new_id(), return_id=data["return_id"], order_id=data["order_id"], customer_id=data["customer_id"],
        status=EXPECTED, **{key: data[key] for key in SCOPE},
        lines=[GoodsReturnLine(id=new_id(), position=position, order_line_id=line["order_line_id"],
                               product_id=line["product_id"], expected=line["quantity"], received=Decimal(0))
               for position, line in enumerate(data["lines"])]))


def receive(uow, principal: Principal, goods_return_id, payload) -> dict:
    """Record what arrived; never more than the return allows per line."""
    principal.require("goods_returns.write")
    data = load_body(ReceiveIn(), payload)
    with uow:
        goods_return = get_in_scope(uow.session, GoodsReturn, goods_return_id, principal, for_update=True)
        if goods_return.status == RECEIVED:
            raise Conflict("Everything was already received")
        lines = {line.order_line_id: line for line in goods_return.lines}
        errors = {}
        for index, item in enumerate(data["lines"]):
            line = lines.get(str(item["order_line_id"]))
            if line is None:
                errors[index] = {"order_line_id": ["Not a line of this return."]}
            elif item["quantity"] > line.expected - line.received:
                errors[index] = {"quantity": [f"Exceeds the {line.expected - line.received} still expected."]}
        if errors:
            raise InvalidInput("Cannot receive these quantities", {"lines": errors})
        for item in data["lines"]:
            lines[str(item["order_line_id"])].received += item["quantity"]
        done = all(line.received >= line.expected for line in goods_return.lines)
        goods_return.status = RECEIVED if done else PARTIAL
        uow.session.flush()
        return GoodsReturnOut().dump(goods_return)


def get(uow, principal: Principal, goods_return_id) -> dict:
    principal.require("goods_returns.read")
    with uow:
        return GoodsReturnOut().dump(get_in_scope(uow.session, GoodsReturn, goods_return_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("goods_returns.read")
    q = load_query(GoodsReturnListQuery(), query)
    stmt = select(GoodsReturn).where(scope_filter(principal, GoodsReturn))
    for field in ("order_id", "status"):
        if field in q:
            stmt = stmt.where(getattr(GoodsReturn, field) == str(q[field]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, GoodsReturn.id, q, SORTS, "-created_at")
        return {"items": GoodsReturnOut(many=True).dump(rows), "next_cursor": cursor}
