"""Use cases for receipts (FIN-02): partial payments against a receivable, never more than owed."""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.errors import InvalidInput
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope
from crm_common.validation import load_body, load_query
from crm_finance import receivable_rules as rules
from crm_finance.models import Receipt, Receivable
from crm_finance.receivables import today
from crm_finance.schemas import ReceiptIn, ReceiptListQuery, ReceiptOut

SORTS = {"created_at": Receipt.created_at, "received_on": Receipt.received_on, "number": Receipt.number}


def create(uow, principal: Principal, payload) -> dict:
    principal.require("receipts.write")
    data = load_body(ReceiptIn(), payload)
    with uow:
        # the row lock makes concurrent receipts for one receivable queue up on fresh totals
        receivable = get_in_scope(uow.session, Receivable, data["receivable_id"], principal,
                                  for_update=True)
        if data.get("currency", receivable.currency) != receivable.currency:
            raise InvalidInput("Currency differs from the receivable's",
                               {"currency": [f"Must be {receivable.currency}."]})
        if data["amount"] > receivable.outstanding:
            raise InvalidInput("Amount exceeds what is outstanding",
                               {"amount": [f"Exceeds the outstanding {receivable.outstanding}."]})
        receipt = Receipt(
            id=new_id(), number=uow.next_number(f"RC-{receivable.branch}"),
            receivable_id=receivable.id, order_id=receivable.order_id, amount=data["amount"],
            currency=receivable.currency, method=data["method"],
            received_on=data.get("received_on") or today(), reference=data.get("reference"),
            owner_id=receivable.owner_id, department_path=receivable.department_path,
            branch=receivable.branch)
        receivable.received += data["amount"]
        receivable.status = rules.receivable_status(receivable.amount, receivable.received)
        uow.session.add(receipt)
        uow.session.flush()
        return ReceiptOut().dump(receipt)


def get(uow, principal: Principal, receipt_id) -> dict:
    principal.require("receipts.read")
    with uow:
        return ReceiptOut().dump(get_in_scope(uow.session, Receipt, receipt_id, principal))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("receipts.read")
    q = load_query(ReceiptListQuery(), query)
    stmt = select(Receipt).where(scope_filter(principal, Receipt))
    if "receivable_id" in q:
        stmt = stmt.where(Receipt.receivable_id == str(q["receivable_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Receipt.id, q, SORTS, "-created_at")
        return {"items": ReceiptOut(many=True).dump(rows), "next_cursor": cursor}
