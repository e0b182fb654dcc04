"""Reads of carriers, and the carrier a shipment names."""
from sqlalchemy import select

from crm_common.errors import InvalidInput
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, is_uuid
from crm_common.validation import load_query
from crm_logistics.carriers.models import Carrier
from crm_logistics.carriers.schemas import CarrierListQuery, CarrierOut

SORTS = {"name": Carrier.name, "created_at": Carrier.created_at}


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


def active_carrier(session, principal: Principal, carrier_id) -> Carrier:
    """The carrier named in a request body; an unknown or inactive one is the body's fault (422)."""
    carrier = session.execute(select(Carrier).where(Carrier.id == str(carrier_id), Carrier.active.is_(True),
                                                    scope_filter(principal, Carrier))).scalar_one_or_none() \
        if is_uuid(carrier_id) else None
    if carrier is None:
        raise InvalidInput("Unknown carrier", {"carrier_id": ["No such active carrier."]})
    return carrier
