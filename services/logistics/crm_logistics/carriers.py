"""Use cases for carriers (LOG-03) and the freight cost report per carrier and month."""
from sqlalchemy import func, select

from crm_common.database import new_id
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, ownership_of
from crm_common.validation import load_body, load_query
from crm_logistics import shipping_rules as rules
from crm_logistics.models import Carrier, Shipment
from crm_logistics.schemas import (CarrierIn, CarrierListQuery, CarrierOut, CarrierPatch, FreightQuery,
                                   FreightReportOut)

SORTS = {"name": Carrier.name, "created_at": Carrier.created_at}


def _rates(data: dict) -> dict:
    """Rates live in JSONB: prices are stored as decimal strings, never floats."""
    if "rates" in data:
        data["rates"] = [{**rate, "price": str(rate["price"])} for rate in data["rates"]]
    return data


def create(uow, principal: Principal, payload) -> dict:
    principal.require("carriers.write")
    data = _rates(load_body(CarrierIn(), payload))
    with uow:
        carrier = Carrier(id=new_id(), active=data.pop("active", True), **data, **ownership_of(principal))
        uow.session.add(carrier)
        uow.session.flush()
        return CarrierOut().dump(carrier)


def update(uow, principal: Principal, carrier_id, payload) -> dict:
    principal.require("carriers.write")
    data = _rates(load_body(CarrierPatch(), payload))
    with uow:
        carrier = get_in_scope(uow.session, Carrier, carrier_id, principal, for_update=True)
        for key, value in data.items():  # only schema fields: no mass assignment of scope or id
            setattr(carrier, key, value)
        uow.session.flush()
        return CarrierOut().dump(carrier)


def get(uow, principal: Principal, carrier_id) -> dict:
    principal.require("carriers.read")
    with uow:
        return CarrierOut().dump(get_in_scope(uow.session, Carrier, carrier_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("carriers.read")
    q = load_query(CarrierListQuery(), query)
    stmt = select(Carrier).where(scope_filter(principal, Carrier))
    if q.get("name"):
        stmt = stmt.where(Carrier.name.contains(q["name"], autoescape=True))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Carrier.id, q, SORTS, "name")
        return {"items": CarrierOut(many=True).dump(rows), "next_cursor": cursor}


def freight_report(uow, principal: Principal, query) -> dict:
    """Freight cost of shipments that left (not cancelled), per carrier, month and currency."""
    principal.require("shipments.read")
    q = load_query(FreightQuery(), query)
    month = func.to_char(func.timezone("UTC", Shipment.shipped_at), "YYYY-MM").label("month")
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
