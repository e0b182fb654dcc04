"""What each domain event tells people: pure functions from event data to a notification.

Each returns the Notification columns except id and created_at. Texts are English for now;
translation belongs to the clients, which also get `kind` to render their own wording.
"""
from decimal import Decimal

from crm_common.money import cents


def amount_text(amount: Decimal, currency: str) -> str:
    """"1200.00 CNY": an amount as people read it, always to the cent."""
    return f"{cents(amount)} {currency}"


def _scope_of(data: dict) -> dict:
    return {"owner_id": data["owner_id"], "department_path": data["department_path"],
            "branch": data["branch"]}


LINKS = {"order": "/api/v1/orders/{id}", "return": "/api/v1/returns/{id}",
         "contract": "/api/v1/contracts/{id}"}


def approval_requested(data: dict) -> dict:
    """sales.approval_requested: the approvers of the step the document just entered.

    Either one named user, or every holder of the step's permission whose data scope covers the
    step's target department (the event carries it as department_path).
    """
    # A pool extension carries no amount: "(0.00 CNY)" would read like a price.
    money = f" ({amount_text(data['amount'], data['currency'])})" if data["amount"] else ""
    kind = data["document_type"]
    number = data["document_number"]
    link = LINKS.get(kind, "/api/v1/approvals/{approval}").format(id=data["document_id"],
                                                                 approval=data["approval_id"])
    audience = ({"recipient_user_id": data["recipient_user_id"]} if data.get("recipient_user_id")
                else {"audience_permission": data["audience_permission"], **_scope_of(data)})
    return {
        "kind": f"{kind}_waiting_approval",
        "title": f"{kind.replace('_', ' ').capitalize()} {number}{money} is waiting for approval",
        "body": f"{number}{money} entered approval step '{data['step_name']}' and needs you.",
        "link": link,
        **audience,
    }


def receivable_opened(data: dict) -> dict:
    """finance.receivable_opened: the order's owner is the one who follows up on payment."""
    money = amount_text(data["amount"], data["currency"])
    due = data["due_date"].isoformat()
    return {
        "kind": "receivable_opened",
        "title": f"Receivable opened for order {data['order_number']}: {money} due {due}",
        "body": (f"A receivable of {money} was opened for order {data['order_number']};"
                 f" payment is due on {due}."),
        "link": f"/api/v1/receivables/{data['receivable_id']}",
        "recipient_user_id": data["owner_id"],
    }
