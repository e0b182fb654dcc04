"""Buyer title profiles (发票抬头): several per customer, each what a fapiao prints of the buyer.
An invoice copies the profile when it is issued, so changing a profile changes no invoice."""
from crm_common.database import new_id
from crm_common.principal import Principal
from crm_common.records import get_in_scope, ownership_of
from crm_common.validation import load_body
from crm_finance.invoicing.models import BuyerTitle
from crm_finance.invoicing.schemas import BuyerTitleIn, BuyerTitleOut, BuyerTitleUpdateIn


def create_title(uow, principal: Principal, payload) -> dict:
    principal.require("invoices.write")
    data = load_body(BuyerTitleIn(), payload)
    with uow:
        title = BuyerTitle(id=new_id(), **{**data, "customer_id": str(data["customer_id"])},
                           **ownership_of(principal))
        uow.session.add(title)
        uow.session.flush()
        return BuyerTitleOut().dump(title)


def update_title(uow, principal: Principal, title_id, payload) -> dict:
    principal.require("invoices.write")
    data = load_body(BuyerTitleUpdateIn(), payload, partial=True)
    with uow:
        title = get_in_scope(uow.session, BuyerTitle, title_id, principal, for_update=True,
                             permission="invoices.write", read_permission="invoices.read")
        for key, value in data.items():
            setattr(title, key, value)
        uow.session.flush()
        return BuyerTitleOut().dump(title)
