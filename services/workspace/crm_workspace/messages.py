"""What each domain event tells people: pure functions from event data to a notification.

Each returns the Notification columns except id and created_at. Texts are English for now;
translation belongs to the clients, which also get `kind` to render their own wording.
"""


def _scope_of(data: dict) -> dict:
    return {"owner_id": data["owner_id"], "department_path": data["department_path"],
            "branch": data["branch"]}


def order_waiting_approval(data: dict) -> dict:
    """sales.order_submitted: every approver whose data scope covers the order is told."""
    money = f"{data['total']:.2f} {data['currency']}"
    return {
        "kind": "order_waiting_approval",
        "title": f"Order {data['number']} ({money}) is waiting for approval",
        "body": f"Sales order {data['number']} for {money} was submitted and needs an approver.",
        "link": f"/api/v1/orders/{data['order_id']}",
        "audience_permission": "orders.approve",
        **_scope_of(data),
    }


def receivable_opened(data: dict) -> dict:
    """finance.receivable_opened: the order's owner is the one who follows up on payment."""
    money = f"{data['amount']:.2f} {data['currency']}"
    due = data["due_date"].isoformat()
    return {
        "kind": "receivable_opened",
        "title": f"Receivable opened for order {data['order_number']}: {money} due {due}",
        "body": (f"A receivable of {money} was opened for order {data['order_number']};"
                 f" payment is due on {due}."),
        "link": f"/api/v1/receivables/{data['receivable_id']}",
        "recipient_user_id": data["owner_id"],
    }
