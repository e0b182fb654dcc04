"""The customer's history: every stage, owner, contact and interaction change (CUS-01, CUS-07)."""
from sqlalchemy import insert, select

from crm_common.errors import BadRequest
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_customers.models import History
from crm_customers.schemas import HistoryListQuery, HistoryOut


def record(session, customer_id: str, kind: str, actor_id: str | None, /, **data) -> None:
    session.execute(insert(History).values(customer_id=customer_id, kind=kind, actor_id=actor_id,
                                           data=_jsonable(data)))


def _jsonable(data: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


def list_(uow, principal: Principal, customer_id, query) -> dict:
    from crm_customers import customers  # import here: customers records history too
    principal.require("customers.read")
    q = load_query(HistoryListQuery(), query)
    with uow:
        customer = customers.find(uow.session, principal, customer_id)
        stmt = select(History).where(History.customer_id == customer.id)
        if q.get("cursor"):
            try:
                stmt = stmt.where(History.id < int(q["cursor"]))
            except ValueError:
                raise BadRequest("Invalid cursor", {"cursor": ["Not a cursor of this list."]}) from None
        rows = uow.session.execute(stmt.order_by(History.id.desc()).limit(q["limit"] + 1)).scalars().all()
        more = len(rows) > q["limit"]
        rows = rows[: q["limit"]]
        return {"items": HistoryOut(many=True).dump(rows), "next_cursor": str(rows[-1].id) if more else None}


def list_rows(session, customer_id: str, limit: int) -> list[dict]:
    rows = session.execute(select(History).where(History.customer_id == customer_id)
                           .order_by(History.id.desc()).limit(limit)).scalars().all()
    return HistoryOut(many=True).dump(rows)
