"""Use cases for carriers (LOG-03)."""
from crm_common.database import new_id
from crm_common.principal import Principal
from crm_common.records import get_in_scope, ownership_of
from crm_common.validation import load_body
from crm_logistics.carriers import rules
from crm_logistics.carriers.models import Carrier
from crm_logistics.carriers.schemas import CarrierIn, CarrierOut, CarrierPatch


def create(uow, principal: Principal, payload) -> dict:
    principal.require("carriers.write")
    data = rules.rates_as_stored(load_body(CarrierIn(), payload))
    with uow:
        carrier = Carrier(id=new_id(), active=data.pop("active", True), **data, **ownership_of(principal))
        uow.session.add(carrier)
        uow.session.flush()
        return CarrierOut().dump(carrier)


def update(uow, principal: Principal, carrier_id, payload) -> dict:
    principal.require("carriers.write")
    data = rules.rates_as_stored(load_body(CarrierPatch(), payload))
    with uow:
        carrier = get_in_scope(uow.session, Carrier, carrier_id, principal, for_update=True)
        for key, value in data.items():  # only schema fields: no mass assignment of scope or id
            setattr(carrier, key, value)
        uow.session.flush()
        return CarrierOut().dump(carrier)
