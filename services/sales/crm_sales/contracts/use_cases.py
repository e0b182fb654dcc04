"""Use cases for contracts (SAL-08): draft, approval through the engine, change orders,
termination, renewal, close, and expiry reminders as events.

Change orders and terminations of an active contract go through an approval of their own
(document types `contract_change` / `contract_termination`) and take effect when it approves
them; each is kept as the contract's history (who, when, before/after, status). Every use case
that touches a contract or one of its changes locks the contract row first, so decisions on a
change serialise like those on the contract itself.
"""
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import or_, select

from crm_common import branch_time
from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.money import CENT
from crm_common.principal import Principal
from crm_common.records import ownership_of, utcnow
from crm_common.validation import NoInput, load_body, load_patch
from crm_sales.approvals import use_cases as approvals
from crm_sales.approvals.schemas import DecisionIn, RejectionIn, SubmitIn
from crm_sales.clients import visible_customer
from crm_sales.contracts.models import Contract, ContractChange
from crm_sales.contracts.queries import change_of, find, pending_change
from crm_sales.contracts.rules import (CHANGE_LIFECYCLE, DOCUMENT_TYPES, EDITABLE, LIFECYCLE, RENEWABLE,
                                       commission_split)
from crm_sales.contracts.schemas import ChangeIn, ContractIn, ContractOut, ReasonIn, RemindersIn, RenewalIn


def _fill(contract: Contract, data: dict, customer: dict) -> None:
    contract.customer_id, contract.customer_name = customer["id"], customer["name"]
    contract.customer_level = customer.get("value_level")
    for key in ("kind", "title", "start_date", "end_date", "amount", "currency"):
        setattr(contract, key, data[key])
    contract.commission_split = commission_split(data["commission_split"])


def create(uow, principal: Principal, payload, customer_lookup) -> dict:
    principal.require("contracts.write")
    data = load_body(ContractIn(), payload)
    customer = visible_customer(customer_lookup, data["customer_id"])
    with uow:
        contract = Contract(id=new_id(), number=uow.document_number("contract", principal.branch), status="draft",
                            **ownership_of(principal))
        _fill(contract, data, customer)
        uow.session.add(contract)
        uow.session.flush()
        return ContractOut().dump(contract)


def update(uow, principal: Principal, contract_id, payload, customer_lookup) -> dict:
    """Change what is sent of a draft; the rest stays."""
    principal.require("contracts.write")
    with uow:
        contract = find(uow.session, principal, contract_id, for_update=True)
        if contract.status not in EDITABLE:
            raise Conflict(f"A contract that is {contract.status} cannot be edited; use a change order")
        data, given = load_patch(ContractIn, payload, contract)
        customer = visible_customer(customer_lookup, data["customer_id"]) if "customer_id" in given else {
            "id": contract.customer_id, "name": contract.customer_name, "value_level": contract.customer_level}
        _fill(contract, data, customer)
        uow.session.flush()
        return ContractOut().dump(contract)


def _facts(contract: Contract, amount) -> dict:
    return {"amount": str(amount), "currency": contract.currency, "discount_percent": "0",
            "customer_level": contract.customer_level, "discount_over_limit": False,
            "customer_name": contract.customer_name}


def _signed(uow, contract: Contract) -> None:
    """The approval made the contract active: it is signed today (the report pack counts it)."""
    LIFECYCLE.apply(contract, "approve")
    uow.emit("sales.contract_signed", {
        "contract_id": contract.id, "number": contract.number, "customer_id": contract.customer_id,
        "amount": contract.amount, "currency": contract.currency, "signed_at": utcnow(),
        "owner_id": contract.owner_id, "department_path": contract.department_path, "branch": contract.branch})


def _preview_facts(session, principal: Principal, contract_id) -> tuple[dict, str]:
    contract = find(session, principal, contract_id)
    return _facts(contract, contract.amount), contract.branch


approvals.FACTS["contract"] = _preview_facts


def submit(uow, principal: Principal, contract_id, payload=None) -> dict:
    principal.require("contracts.write")
    data = load_body(SubmitIn(), payload or {})
    with uow:
        contract = find(uow.session, principal, contract_id, for_update=True)
        LIFECYCLE.apply(contract, "submit")
        instance = approvals.start(uow, principal, "contract", contract, _facts(contract, contract.amount),
                                   data.get("approvers"))
        if instance.status == "approved":
            _signed(uow, contract)
        return ContractOut().dump(contract)


def _decide(uow, principal: Principal, contract_id, action: str, data: dict) -> dict:
    principal.require("contracts.approve")
    with uow:
        contract = find(uow.session, principal, contract_id, for_update=True, deciding=True)
        LIFECYCLE.next_status(contract.status, action)  # refused before the engine records anything
        outcome = approvals.decide(uow, principal, "contract", contract.id, action, data)
        if outcome == "approved":
            _signed(uow, contract)
        elif outcome == "rejected":
            LIFECYCLE.apply(contract, "reject")
        return ContractOut().dump(contract)


def withdraw(uow, principal: Principal, contract_id, payload=None) -> dict:
    """撤回: the submitter takes the contract back to draft while it waits for approval."""
    principal.require("contracts.write")
    load_body(NoInput(), payload or {})
    with uow:
        contract = find(uow.session, principal, contract_id, for_update=True)
        LIFECYCLE.next_status(contract.status, "withdraw")
        approvals.withdraw_by_submitter(uow, principal, "contract", contract.id)
        LIFECYCLE.apply(contract, "withdraw")
        return ContractOut().dump(contract)


def approve(uow, principal: Principal, contract_id, payload) -> dict:
    return _decide(uow, principal, contract_id, "approve", load_body(DecisionIn(), payload or {}))


def reject(uow, principal: Principal, contract_id, payload) -> dict:
    return _decide(uow, principal, contract_id, "reject", load_body(RejectionIn(), payload))


# --- change orders, terminations, close --------------------------------------------------------

def _terms(contract: Contract) -> dict:
    return {"amount": str(contract.amount), "end_date": contract.end_date.isoformat(), "status": contract.status}


def _history(contract, principal, kind, description, before, after, status="applied") -> ContractChange:
    change = ContractChange(id=new_id(), kind=kind, description=description, before=before, after=after,
                            actor_id=principal.user_id, created_at=utcnow(), seq=len(contract.changes),
                            status=status, decided_at=None if status == "pending" else utcnow())
    contract.changes.append(change)
    return change


def _apply(contract: Contract, change: ContractChange) -> None:
    contract.amount = Decimal(change.after["amount"])
    contract.end_date = date.fromisoformat(change.after["end_date"])
    if change.kind == "terminate":
        LIFECYCLE.apply(contract, "terminate")
        contract.end_reason = change.description
    CHANGE_LIFECYCLE.apply(change, "approve")
    change.decided_at = utcnow()


def _propose(uow, principal: Principal, contract: Contract, kind: str, description: str, after: dict) -> None:
    """Keep the change as pending and submit it; it applies at once if no approval step matches."""
    if contract.status != "active":
        raise Conflict(f"A {'change order' if kind == 'change' else 'termination'} needs an active contract, "
                       f"not a {contract.status} one")
    if pending_change(uow.session, contract) is not None:
        raise Conflict("This contract already has a change order or termination waiting for approval")
    change = _history(contract, principal, kind, description, _terms(contract), after, status="pending")
    document = SimpleNamespace(id=change.id, number=f"{contract.number}/{change.seq + 1}", owner_id=contract.owner_id,
                               department_path=contract.department_path, branch=contract.branch)
    instance = approvals.start(uow, principal, DOCUMENT_TYPES[kind], document, _facts(contract, after["amount"]))
    if instance.status == "approved":
        _apply(contract, change)


def change(uow, principal: Principal, contract_id, payload) -> dict:
    principal.require("contracts.write")
    data = load_body(ChangeIn(), payload)
    with uow:
        contract = find(uow.session, principal, contract_id, for_update=True)
        if data.get("end_date") and data["end_date"] < contract.start_date:
            raise InvalidInput("Invalid change", {"end_date": ["The contract cannot end before it starts."]})
        after = {**_terms(contract), "amount": str(data.get("amount", contract.amount).quantize(CENT)),
                 "end_date": data.get("end_date", contract.end_date).isoformat()}
        _propose(uow, principal, contract, "change", data["description"], after)
        return ContractOut().dump(contract)


def terminate(uow, principal: Principal, contract_id, payload) -> dict:
    principal.require("contracts.write")
    data = load_body(ReasonIn(), payload)
    with uow:
        contract = find(uow.session, principal, contract_id, for_update=True)
        _propose(uow, principal, contract, "terminate", data["reason"], {**_terms(contract), "status": "terminated"})
        return ContractOut().dump(contract)


def close(uow, principal: Principal, contract_id, payload) -> dict:
    principal.require("contracts.write")
    data = load_body(ReasonIn(), payload)
    with uow:
        contract = find(uow.session, principal, contract_id, for_update=True)
        if pending_change(uow.session, contract) is not None:
            raise Conflict("Decide the change order or termination waiting for approval before closing")
        before = _terms(contract)
        LIFECYCLE.apply(contract, "close")
        contract.end_reason = data["reason"]
        _history(contract, principal, "close", data["reason"], before, _terms(contract))
        return ContractOut().dump(contract)


def _decide_change(uow, principal: Principal, change_id, action: str, data: dict) -> dict:
    principal.require("contracts.approve")
    with uow:
        contract, change = change_of(uow.session, principal, change_id, for_update=True, deciding=True)
        CHANGE_LIFECYCLE.next_status(change.status, action)  # refused before the engine records anything
        outcome = approvals.decide(uow, principal, DOCUMENT_TYPES[change.kind], change.id, action, data)
        if outcome == "approved":
            _apply(contract, change)
        elif outcome == "rejected":
            CHANGE_LIFECYCLE.apply(change, "reject")
            change.decided_at = utcnow()
        return ContractOut().dump(contract)


def approve_change(uow, principal: Principal, change_id, payload) -> dict:
    return _decide_change(uow, principal, change_id, "approve", load_body(DecisionIn(), payload or {}))


def reject_change(uow, principal: Principal, change_id, payload) -> dict:
    return _decide_change(uow, principal, change_id, "reject", load_body(RejectionIn(), payload))


# --- renewal and expiry ------------------------------------------------------------------------

def renew(uow, principal: Principal, contract_id, payload) -> dict:
    """A renewal is a new draft contract following on from this one, to be approved in turn."""
    principal.require("contracts.write")
    data = load_body(RenewalIn(), payload)
    with uow:
        old = find(uow.session, principal, contract_id, for_update=True)
        if old.status not in RENEWABLE:
            raise Conflict(f"A {old.status} contract cannot be renewed")
        start = old.end_date + timedelta(days=1)
        if data["end_date"] < start:
            raise InvalidInput("Invalid renewal", {"end_date": [f"Must be on or after {start.isoformat()}."]})
        new = Contract(id=new_id(), number=uow.document_number("contract", old.branch), status="draft", kind=old.kind,
                       title=old.title, customer_id=old.customer_id, customer_name=old.customer_name,
                       customer_level=old.customer_level, start_date=start, end_date=data["end_date"],
                       amount=data.get("amount", old.amount), currency=old.currency,
                       commission_split=old.commission_split, renewal_of=old.id, owner_id=old.owner_id,
                       department_path=old.department_path, branch=old.branch)
        uow.session.add(new)
        uow.session.flush()
        return ContractOut().dump(new)


def send_expiry_reminders(uow, now: datetime, days_ahead: int = 30) -> int:
    """Emit `sales.contract_expiring` once per active contract and end date within `days_ahead`.

    Idempotent: `reminded_end_date` records the end date a reminder went out for, in the same
    transaction as the event; a change order moving the end date makes it due again. Rows are
    claimed with SKIP LOCKED so two timers never remind twice.
    """
    today = branch_time.today(now, branch_time.zone())
    with uow:
        due = uow.session.execute(select(Contract).where(
            Contract.status == "active", Contract.end_date >= today,
            Contract.end_date <= today + timedelta(days=days_ahead),
            or_(Contract.reminded_end_date.is_(None), Contract.reminded_end_date != Contract.end_date),
        ).with_for_update(skip_locked=True)).scalars().all()
        for contract in due:
            contract.reminded_end_date = contract.end_date
            uow.emit("sales.contract_expiring", {
                "contract_id": contract.id, "number": contract.number, "title": contract.title,
                "customer_id": contract.customer_id, "end_date": contract.end_date,
                "days_left": (contract.end_date - today).days, "owner_id": contract.owner_id,
                "department_path": contract.department_path, "branch": contract.branch})
        return len(due)


def run_expiry_reminders(uow, principal: Principal, payload) -> dict:
    """Operator entry to the timer job (and how tests drive it with an explicit `now`)."""
    principal.require("admin.events")
    data = load_body(RemindersIn(), payload or {})
    return {"reminded": send_expiry_reminders(uow, data["now"] or utcnow(), data["days_ahead"])}
