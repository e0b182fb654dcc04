"""Leads and their follow-up stages, conversion to customer and back (CUS-06)."""
from crm_common.errors import Conflict
from crm_common.principal import Principal
from crm_common.validation import NoInput, load_body
from crm_customers import customers, history
from crm_customers.lifecycle_rules import (TransitionError, check_back_to_lead, check_convert,
                                           check_stage_change)
from crm_customers.schemas import CustomerCreateIn, CustomerOut
from crm_customers.schemas_more import StageIn


def create_lead(uow, principal: Principal, payload) -> dict:
    principal.require("customers.write")
    data = load_body(CustomerCreateIn(), payload)
    with uow:
        lead = customers.new_customer(uow, principal, data, status="lead", stage="new")
        uow.session.refresh(lead)
        return CustomerOut().dump(lead)


def _transition(uow, principal, customer_id, check, apply, kind):
    principal.require("customers.write")
    with uow:
        customer = customers.find(uow.session, principal, customer_id, for_update=True)
        before = {"status": customer.status, "stage": customer.stage}
        try:
            check(customer)
        except TransitionError as exc:
            raise Conflict(str(exc)) from None
        apply(customer)
        history.record(uow.session, customer.id, kind, principal.user_id, before=before,
                       after={"status": customer.status, "stage": customer.stage})
        uow.session.flush()
        return CustomerOut().dump(customer)


def change_stage(uow, principal: Principal, customer_id, payload) -> dict:
    target = load_body(StageIn(), payload)["stage"]
    return _transition(uow, principal, customer_id,
                       lambda c: check_stage_change(c.status, c.stage, target),
                       lambda c: setattr(c, "stage", target), "stage_changed")


def convert(uow, principal: Principal, customer_id, payload) -> dict:
    load_body(NoInput(), payload)

    def apply(c):
        c.status, c.stage = "customer", None
    return _transition(uow, principal, customer_id, lambda c: check_convert(c.status, c.stage), apply,
                       "converted")


def back_to_lead(uow, principal: Principal, customer_id, payload) -> dict:
    load_body(NoInput(), payload)

    def apply(c):
        c.status, c.stage = "lead", "new"
    return _transition(uow, principal, customer_id, lambda c: check_back_to_lead(c.status), apply,
                       "back_to_lead")
