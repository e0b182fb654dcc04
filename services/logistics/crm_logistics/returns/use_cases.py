"""Use cases for receiving returned goods (LOG-05)."""
from crm_common.errors import InvalidInput
from crm_common.principal import Principal
from crm_common.records import get_in_scope
from crm_common.validation import load_body
from crm_logistics.returns import rules
from crm_logistics.returns.models import GoodsReturn
from crm_logistics.returns.schemas import GoodsReturnOut, ReceiveIn


def receive(uow, principal: Principal, goods_return_id, payload) -> dict:
    """Record what arrived; never more than the return allows per line."""
    principal.require("goods_returns.write")
    data = load_body(ReceiveIn(), payload)
    with uow:
        goods_return = get_in_scope(uow.session, GoodsReturn, goods_return_id, principal, for_update=True)
        received = rules.GOODS_RETURN.next_status(goods_return.status, "receive")
        lines = {line.order_line_id: line for line in goods_return.lines}
        requested = [(str(item["order_line_id"]), item["quantity"]) for item in data["lines"]]
        errors = rules.over_received_lines({key: line.expected - line.received for key, line in lines.items()},
                                           requested)
        if errors:
            raise InvalidInput("Cannot receive these quantities", {"lines": errors})
        for line_id, quantity in requested:
            lines[line_id].received += quantity
        done = all(line.received >= line.expected for line in goods_return.lines)
        goods_return.status = received if done else rules.PARTIAL
        uow.session.flush()
        return GoodsReturnOut().dump(goods_return)
