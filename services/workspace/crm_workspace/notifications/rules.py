"""What each domain event tells people: pure functions from event data to a notification.

Each returns the Notification columns except id and created_at. Texts are English for now;
translation belongs to the clients, which also get `kind` to render their own wording.
"""
from datetime import datetime, tzinfo
from decimal import Decimal

from crm_common.branch_time import days_until
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
        "fact_key": approval_fact(data["approval_id"], data["step_index"], data.get("recipient_user_id")),
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


# --- open questions that end: a step waiting for approval -------------------------------------

def approval_fact(approval_id: str, step_index: int, recipient: str | None = None) -> str:
    """One fact per step, or per approver of a step of several users (会签 / 或签: each is told)."""
    return f"approval:{approval_id}:{step_index}" + (f":{recipient}" if recipient else "")


def approval_step(fact_key: str) -> int:
    return int(fact_key.split(":")[2])


RESOLUTIONS = {"approved": "was approved", "rejected": "was rejected", "withdrawn": "was withdrawn",
               "moved_on": "passed this step"}


def resolved_title(document_type: str, number: str, resolution: str) -> str:
    """What a waiting-for-approval notification says once the question is no longer open."""
    return f"{document_type.replace('_', ' ').capitalize()} {number} {RESOLUTIONS[resolution]}"


def earlier_steps(fact_keys: list[str], step_index: int) -> list[str]:
    """The steps a document has left behind once it entered `step_index`."""
    return [key for key in fact_keys if approval_step(key) < step_index]


def is_superseded(fact_keys: list[str], step_index: int) -> bool:
    """A step announced after a later one (events travel on separate queues) is already past."""
    return any(approval_step(key) > step_index for key in fact_keys)


# --- customers: ownership, the pool, extension requests, complaints ---------------------------

def _customer_link(customer_id: str) -> str:
    return f"/api/v1/customers/{customer_id}"


OWNER_CHANGES = {  # reason -> (kind, who is told: "owner" (the new one) or "previous", title)
    "assigned": ("customer_assigned", "owner", "Customer {name} was assigned to you"),
    "transferred": ("customer_transferred", "owner", "Customer {name} was transferred to you"),
    "recycled": ("customer_recycled", "previous", "Customer {name} went back to the public pool"),
}


def owner_changed(data: dict, event_id: str) -> dict | None:
    """customers.owner_changed: the new owner of an assigned/transferred customer, the old one
    of a recycled customer. Claims and releases are the user's own doing; a hand-over is told
    once for all its customers (customers.handover_started), not per customer."""
    if data["reason"] not in OWNER_CHANGES:
        return None
    kind, who, title = OWNER_CHANGES[data["reason"]]
    name = data["customer_name"]
    body = {"customer_assigned": f"{name} is now yours: follow it up before it falls back to the pool.",
            "customer_transferred": f"{name} was handed to you by a colleague and is now yours.",
            "customer_recycled": f"{name} had no follow-up in time and is back in the public pool."}[kind]
    return {"kind": kind, "title": title.format(name=name), "body": body,
            "link": _customer_link(data["customer_id"]), "fact_key": f"owner_changed:{event_id}",
            "recipient_user_id": data["owner_id"] if who == "owner" else data["previous_owner_id"]}


def recycle_warning(data: dict, now: datetime, zone: tzinfo) -> dict:
    """customers.recycle_warning: N days (the rule's notice period) before the pool takes the
    customer back; once per due date. N counts the branch's calendar days, from the job's "now"."""
    days = data.get("days_left")
    days = max(days_until(data["recycle_at"], now, zone) if days is None else days, 0)
    on = data["recycle_at"].astimezone(zone).date().isoformat()
    name = data["customer_name"]
    return {"kind": "customer_recycle_warning",
            "title": f"Customer {name} returns to the public pool in {days} days ({on})",
            "body": f"Follow up {name} before {on}, or it goes back to the public pool.",
            "link": _customer_link(data["customer_id"]),
            "fact_key": f"recycle_warning:{data['customer_id']}:{data['recycle_at'].isoformat()}",
            "recipient_user_id": data["owner_id"]}


def handover_received(data: dict) -> dict:
    """customers.handover_started: the colleague taking over is told once, not per record."""
    return {"kind": "handover_received", "title": "A departing colleague's customers and open work are now yours",
            "body": "Their customers, open opportunities, quotes, orders, contracts, field-service orders and"
                    " upcoming calendar entries were handed over to you.",
            "link": f"/api/v1/customers?owner_id={data['owner_id']}",
            "fact_key": f"handover:{data['handover_id']}", "recipient_user_id": data["owner_id"]}


def extension_decided(data: dict) -> dict:
    """customers.extension_decided: whoever asked for the longer protection period."""
    name = data.get("customer_name") or "the customer"
    if data["approved"]:
        until = data["protected_until"].date().isoformat() if data["protected_until"] else "-"
        kind, title = "extension_approved", f"Extension for {name} approved: protected until {until}"
    else:
        kind, title = "extension_rejected", f"Extension for {name} rejected"
    return {"kind": kind, "title": title, "body": title + ".", "link": _customer_link(data["customer_id"]),
            "fact_key": f"extension_decided:{data['request_id']}",
            "recipient_user_id": data.get("requested_by") or data["owner_id"]}


def complaint_assigned(data: dict, event_id: str) -> dict:
    return {"kind": "complaint_assigned",
            "title": f"Complaint {data['number']} from {data['customer_name']} is assigned to you",
            "body": f"{data['customer_name']}: {data['subject']}",
            "link": f"/api/v1/customers/{data['customer_id']}/complaints",
            "fact_key": f"complaint_assigned:{event_id}", "recipient_user_id": data["handler_id"]}


# --- logistics: field service ------------------------------------------------------------------

def field_service_dispatched(data: dict, event_id: str) -> dict:
    return {"kind": "field_service_dispatched",
            "title": f"Field-service order {data['number']} is dispatched to you",
            "body": f"Service at {data['address']}: confirm the technician with the office.",
            "link": f"/api/v1/field-service-orders/{data['field_service_order_id']}",
            "fact_key": f"field_service_dispatched:{event_id}", "recipient_user_id": data["provider_id"]}


def field_service_feedback_overdue(data: dict, zone: tzinfo) -> dict:
    due = data["feedback_due_at"].astimezone(zone).strftime("%Y-%m-%d %H:%M")
    return {"kind": "field_service_feedback_overdue",
            "title": f"Feedback on field-service order {data['number']} is overdue (due {due})",
            "body": f"The feedback on {data['number']} was due {due}: give it now.",
            "link": f"/api/v1/field-service-orders/{data['field_service_order_id']}",
            "fact_key": (f"field_service_feedback_overdue:{data['field_service_order_id']}:"
                         f"{data['feedback_due_at'].isoformat()}"),
            "recipient_user_id": data["provider_id"]}
