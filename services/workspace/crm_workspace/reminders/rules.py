"""Pure rules of reminders: their life cycle, and what other services' events put on someone's
to-do list (pure functions from event data to Reminder columns, except id and timestamps).

The emitter decides when a fact is worth telling (days before a birthday, ageing bucket of a
receivable), so these reminders are due at once and fire on the next timer tick. `source_key`
names the fact, so a redelivered or re-emitted event does not remind twice.
"""
from crm_common.statemachine import StateMachine
from crm_workspace.notifications.rules import amount_text

REMINDER_STATUSES = ("pending", "fired", "done")
# Completing is allowed whatever happened before: a to-do ticked twice stays done.
REMINDER = StateMachine("reminder", {
    "fire": (["pending"], "fired"),
    "complete": (["pending", "fired", "done"], "done"),
})


def _owned_by(data: dict, user_id: str | None = None) -> dict:
    return {"owner_id": user_id or data["owner_id"], "department_path": data["department_path"],
            "branch": data["branch"]}


def important_date(data: dict, now) -> dict:
    """From customers.important_date_upcoming (a birthday of a contact or a customer's important date)."""
    what = data["label"] or data["kind"]
    return {
        **_owned_by(data), "source": "important_date", "due_at": now,
        "source_key": (f"important_date:{data['customer_id']}:{data['contact_id'] or '-'}:{data['kind']}:"
                       f"{data['occurs_on']}"),
        "title": f"{data['customer_name']}: {what} on {data['occurs_on'].isoformat()}",
        "notes": f"Customer {data['customer_name']} — {what} on {data['occurs_on'].isoformat()}.",
        "link": f"/api/v1/customers/{data['customer_id']}",
    }


def contract_expiring(data: dict, now) -> dict:
    end = data["end_date"].isoformat()
    return {
        **_owned_by(data), "source": "contract_expiring", "due_at": now,
        "source_key": f"contract_expiring:{data['contract_id']}:{end}:{data['days_left']}",
        "title": f"Contract {data['number']} ends on {end} ({data['days_left']} days left)",
        "notes": f"Contract {data['number']} '{data['title']}' ends on {end}: renew it or close it.",
        "link": f"/api/v1/contracts/{data['contract_id']}",
    }


def receivable_overdue(data: dict, now) -> dict:
    money = amount_text(data["outstanding"], data["currency"])
    return {
        **_owned_by(data), "source": "receivable_overdue", "due_at": now,
        "source_key": f"receivable_overdue:{data['receivable_id']}:{data['bucket']}",
        "title": f"Receivable overdue {data['days_overdue']} days: {money} outstanding",
        "notes": (f"Payment of {money} was due on {data['due_date'].isoformat()}"
                  f" ({data['days_overdue']} days ago, bucket {data['bucket']}). Follow up with the customer."),
        "link": f"/api/v1/receivables/{data['receivable_id']}",
    }
