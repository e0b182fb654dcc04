"""The field-service order (现场服务单) workflow of the manual, as plain data and functions.

repair call → new → dispatched (派工, to a provider) → confirmed (the office records technician
and phone after the provider's confirmation call) → in_service / serviced (arrival, fix,
anomalies kept by the office) → feedback_given (the provider, within 3 days of the fix) →
audited (office) → fee_stated (office fills the fee statement) → hq_audited → settled (head
office; finance then pays the provider). An audit may send the order one step back.
"""
from datetime import date, datetime, timedelta
from decimal import Decimal

from crm_common.money import total
from crm_common.statemachine import StateMachine

NEW, DISPATCHED, CONFIRMED, IN_SERVICE, SERVICED = "new", "dispatched", "confirmed", "in_service", "serviced"
FEEDBACK_GIVEN, AUDITED, FEE_STATED, HQ_AUDITED, SETTLED = (
    "feedback_given", "audited", "fee_stated", "hq_audited", "settled")
STATUSES = (NEW, DISPATCHED, CONFIRMED, IN_SERVICE, SERVICED, FEEDBACK_GIVEN, AUDITED, FEE_STATED,
            HQ_AUDITED, SETTLED)
FEEDBACK_DAYS = 3
OFFICE, PROVIDER, HEAD_OFFICE = "field_service.write", "field_service.provider", "field_service.settle"
ACTOR_PERMISSION = {"office": OFFICE, "provider": PROVIDER, "head_office": HEAD_OFFICE}

# action -> (statuses it may start from, who acts: "office" | "provider" | "head_office")
ACTIONS = {
    "dispatch": ({NEW, DISPATCHED}, "office"),  # re-dispatch to another provider before confirmation
    "confirm": ({DISPATCHED}, "office"),
    "progress": ({CONFIRMED, IN_SERVICE}, "office"),
    "feedback": ({SERVICED}, "provider"),
    "audit": ({FEEDBACK_GIVEN}, "office"),
    "fee": ({AUDITED}, "office"),
    "hq_audit": ({FEE_STATED}, "head_office"),
    "settle": ({HQ_AUDITED}, "head_office"),
}

# where each step leads when it goes forward; progress without a fix and rejected audits lead
# elsewhere (status_after_progress, status_after_audit)
FORWARD = {"dispatch": DISPATCHED, "confirm": CONFIRMED, "progress": SERVICED, "feedback": FEEDBACK_GIVEN,
           "audit": AUDITED, "fee": FEE_STATED, "hq_audit": HQ_AUDITED, "settle": SETTLED}
FIELD_SERVICE = StateMachine("field-service order",
                             {action: (sources, FORWARD[action]) for action, (sources, _) in ACTIONS.items()})


def status_after_progress(fixed_at) -> str:
    return SERVICED if fixed_at else IN_SERVICE


def feedback_due(fixed_at: datetime) -> datetime:
    return fixed_at + timedelta(days=FEEDBACK_DAYS)


def is_late(due: datetime | None, at: datetime) -> bool:
    return due is not None and at > due


def owes_overdue_notice(status: str, due: datetime | None, sent_for: datetime | None, now: datetime) -> bool:
    """Serviced, the feedback past due, and the provider not yet told for this due time (a new
    fix moves the due time and may earn a new notice)."""
    return status == SERVICED and is_late(due, now) and sent_for != due


def status_after_audit(action: str, approved: bool) -> str:
    """An office audit that rejects asks the provider for new feedback; a head-office audit that
    rejects asks the office for a new fee statement."""
    if action == "audit":
        return AUDITED if approved else SERVICED
    return HQ_AUDITED if approved else AUDITED


def fee_total(items) -> Decimal:
    return total(item["amount"] for item in items)


def jsonable(value):
    """Payload values as JSONB keeps them: decimals and UUIDs as strings, instants in ISO 8601."""
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value) if hasattr(value, "hex") else value  # UUIDs
