from sqlalchemy import select

from crm_common.folding import json_list, rows
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_customers.aftersales.models import RECORD_MODELS, Complaint, Expense
from crm_customers.aftersales.rules import EXPENSE_DOCUMENT
from crm_customers.aftersales.schemas import RECORD_KINDS, ComplaintOut, ComplaintsQuery, ExpenseOut
from crm_customers.customers.models import Customer
from crm_customers.customers.queries import LIVE, READ, find, in_scope_or_team, record_for_approver
from crm_customers.customers.schemas import SubListQuery


def list_records(uow, principal: Principal, kind: str, customer_id, query) -> dict:
    principal.require(READ)
    model, out = RECORD_MODELS[kind], RECORD_KINDS[kind].out
    q = load_query(SubListQuery(), query)
    with uow:
        customer = find(uow.session, principal, customer_id, pool=True)
        rows, cursor = keyset_page(uow.session, listed_records(kind, customer.id), model.id, q, {"created_at": model.created_at},
                                   "-created_at")
        return {"items": out(many=True).dump(rows), "next_cursor": cursor}


def get_expense(uow, principal: Principal, expense_id, approves) -> dict:
    """One expense with its customer's name, for whoever sees the customer or decides its reimbursement."""
    principal.require(READ)
    with uow.reading():
        expense, customer = record_for_approver(uow.session, principal, Expense, expense_id, EXPENSE_DOCUMENT,
                                                approves)
        return {**ExpenseOut().dump(expense), "customer_name": customer.name}


def listed_records(kind: str, customer_id: str):
    model = RECORD_MODELS[kind]
    return select(model).where(model.customer_id == customer_id)


def listed_complaints(customer_id: str):
    return select(Complaint).where(Complaint.customer_id == customer_id)


def recent_records(limit: int, customer=Customer) -> dict:
    """The latest of each kind of record, newest first, for the customer's detail view: kind →
    a folding.json_list inside the statement that reads `customer`."""
    return {kind: json_list(model, model.customer_id == customer.id, order_by=(model.created_at.desc(),),
                            limit=limit, correlate=customer) for kind, model in RECORD_MODELS.items()}


def dump_recent_records(raw: dict) -> dict:
    return {kind: RECORD_KINDS[kind].out.shared(many=True).dump(rows(RECORD_MODELS[kind], raw[kind])) for kind in raw}


def list_complaints(uow, principal: Principal, customer_id, query) -> dict:
    principal.require(READ)
    q = load_query(SubListQuery(), query)
    with uow:
        customer = find(uow.session, principal, customer_id)
        rows, cursor = keyset_page(uow.session, listed_complaints(customer.id), Complaint.id, q, {"created_at": Complaint.created_at},
                                   "-created_at")
        return {"items": ComplaintOut.shared(many=True).dump(rows), "next_cursor": cursor}


def list_all_complaints(uow, principal: Principal, query) -> dict:
    """Complaints of every customer in the caller's scope, each with its customer's name;
    `assigned_to=me` is the caller's queue as handler."""
    principal.require(READ)
    q = load_query(ComplaintsQuery(), query)
    stmt = select(Complaint).join(Customer, Complaint.customer_id == Customer.id).where(
        in_scope_or_team(principal), *LIVE)
    if q.get("assigned_to") == "me":
        stmt = stmt.where(Complaint.handler_id == principal.user_id)
    if "status" in q:
        stmt = stmt.where(Complaint.status == q["status"])
    if "customer_id" in q:
        stmt = stmt.where(Complaint.customer_id == str(q["customer_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Complaint.id, q, {"created_at": Complaint.created_at},
                                   "-created_at")
        names = dict(uow.session.execute(select(Customer.id, Customer.name).where(
            Customer.id.in_({row.customer_id for row in rows}))).all()) if rows else {}
        return {"items": [{**ComplaintOut().dump(row), "customer_name": names[row.customer_id]} for row in rows],
                "next_cursor": cursor}
