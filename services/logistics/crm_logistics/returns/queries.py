"""Reads of returned goods."""
from sqlalchemy import select

from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_query
from crm_logistics.returns.models import GoodsReturn
from crm_logistics.returns.schemas import GoodsReturnListQuery, GoodsReturnOut

SORTS = {"created_at": GoodsReturn.created_at}


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
