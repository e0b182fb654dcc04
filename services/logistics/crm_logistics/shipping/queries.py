"""Reads of fulfilments and shipments, and the freight cost report per carrier and month."""
from sqlalchemy import func, select

from crm_common import branch_time
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_query
from crm_logistics.shipping import rules
from crm_logistics.shipping.models import Fulfilment, Shipment
from crm_logistics.shipping.schemas import (FreightQuery, FreightReportOut, FulfilmentDetailOut, FulfilmentListQuery,
                                            FulfilmentOut, ShipmentDetailOut, ShipmentListQuery, ShipmentOut)

FULFILMENT_SORTS = {"created_at": Fulfilment.created_at}
SHIPMENT_SORTS = {"created_at": Shipment.created_at, "number": Shipment.number}


def get_fulfilment(uow, principal: Principal, fulfilment_id) -> dict:
    principal.require("fulfilments.read")
    with uow:
        fulfilment = get_in_scope(uow.session, Fulfilment, fulfilment_id, principal)
        return FulfilmentDetailOut().dump(fulfilment)


def list_fulfilments(uow, principal: Principal, query) -> dict:
    principal.require("fulfilments.read")
    q = load_query(FulfilmentListQuery(), query)
    stmt = select(Fulfilment).where(scope_filter(principal, Fulfilment))
    for field in ("order_id", "customer_id", "status"):
        if field in q:
            stmt = stmt.where(getattr(Fulfilment, field) == str(q[field]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Fulfilment.id, q, FULFILMENT_SORTS, "-created_at")
        return {"items": FulfilmentOut(many=True).dump(rows), "next_cursor": cursor}


def get_shipment(uow, principal: Principal, shipment_id) -> dict:
    principal.require("shipments.read")
    with uow:
        return ShipmentDetailOut().dump(get_in_scope(uow.session, Shipment, shipment_id, principal))


def list_shipments(uow, principal: Principal, query) -> dict:
    principal.require("shipments.read")
    q = load_query(ShipmentListQuery(), query)
    stmt = select(Shipment).where(scope_filter(principal, Shipment))
    for field in ("fulfilment_id", "order_id", "carrier_id", "status"):
        if field in q:
            stmt = stmt.where(getattr(Shipment, field) == str(q[field]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Shipment.id, q, SHIPMENT_SORTS, "-created_at")
        return {"items": ShipmentOut(many=True).dump(rows), "next_cursor": cursor}


def freight_report(uow, principal: Principal, query) -> dict:
    """Freight cost of shipments that left (not cancelled), per carrier, month and currency."""
    principal.require("shipments.read")
    q = load_query(FreightQuery(), query)
    # the branch's months: a shipment at 23:30 UTC on 31 March left in April in Beijing
    month = func.to_char(func.timezone(branch_time.zone().key, Shipment.shipped_at), "YYYY-MM").label("month")
    stmt = (select(Shipment.carrier_id, Shipment.carrier, month, Shipment.freight_currency,
                   func.count(), func.coalesce(func.sum(Shipment.freight_fee), 0))
            .where(scope_filter(principal, Shipment), Shipment.shipped_at.is_not(None),
                   Shipment.status != rules.CANCELLED, month >= q["start"], month <= q["end"])
            .group_by(Shipment.carrier_id, Shipment.carrier, month, Shipment.freight_currency)
            .order_by(month, Shipment.carrier))
    if "carrier_id" in q:
        stmt = stmt.where(Shipment.carrier_id == str(q["carrier_id"]))
    with uow:
        rows = uow.session.execute(stmt).all()
    return FreightReportOut().dump({"items": [
        {"carrier_id": carrier_id, "carrier": name, "month": m, "currency": currency, "shipments": count,
         "freight": total} for carrier_id, name, m, currency, count, total in rows]})
