"""Reminders fed by other services' events (WSP-07): each fact reminds its person once, on the
next timer tick, as a notification in their inbox (WSP-08)."""
import uuid
from datetime import timedelta

import pytest
from kombu import Connection, Exchange, Producer

from crm_common.events.catalog import build_envelope
from crm_common.branch_time import current_day  # the suite's days are Beijing's

pytestmark = pytest.mark.e2e


def _publish(stack, name: str, data: dict) -> dict:
    envelope = build_envelope(name, data, "HQ", None)
    source, key = name.split(".", 1)
    with Connection(stack.amqp_uri, transport_options={"confirm_publish": True}) as conn:
        producer = Producer(conn.channel())
        for _ in range(2):  # delivered twice: the reminder must still be one
            producer.publish(envelope, exchange=Exchange(f"{source}.events", type="topic", durable=True),
                             routing_key=key, delivery_mode=2, serializer="json")
    return envelope


def _owned(desk, org, who="desk_a") -> dict:
    return {"owner_id": desk["users"][who]["id"], "branch": "HQ",
            "department_path": org["departments"]["Sales East"]["path"]}


def _reminded(helpers, api, title_part):
    def fetch():
        items = api.get("/notifications").json()["items"]
        return [n for n in items if title_part in n["title"]]
    return helpers.eventually(fetch, timeout=30)


def _reminders(helpers, source_key_part):
    return helpers.rows("workspace", "SELECT owner_id::text, status FROM reminders WHERE source_key LIKE %s",
                        (f"%{source_key_part}%",))


EVENTS = {
    "finance.receivable_overdue": lambda ids: {
        "receivable_id": ids[0], "order_id": ids[1], "order_number": "SO-HQ-2026-000123",
        "customer_id": ids[2], "amount": "1200.00",
        "outstanding": "800.50", "currency": "CNY", "due_date": current_day() - timedelta(days=35),
        "days_overdue": 35, "bucket": "31-60"},
    "customers.important_date_upcoming": lambda ids: {
        "customer_id": ids[0], "customer_name": "天马贸易", "contact_id": ids[1],
        "kind": "birthday", "label": "王总 birthday", "occurs_on": current_day() + timedelta(days=3)},
    "sales.contract_expiring": lambda ids: {
        "contract_id": ids[0], "number": f"CT-{ids[1][:6]}", "title": "维保合同", "customer_id": ids[2],
        "end_date": current_day() + timedelta(days=30), "days_left": 30},
}
EXPECTED_TITLE = {"finance.receivable_overdue": "800.50 CNY outstanding",
                  "customers.important_date_upcoming": "天马贸易: 王总 birthday",
                  "sales.contract_expiring": "30 days left"}


@pytest.mark.parametrize("name", sorted(EVENTS))
def test_event_becomes_one_reminder_that_fires_for_the_owner(stack, desk, org, helpers, name):
    ids = [str(uuid.uuid4()) for _ in range(3)]
    _publish(stack, name, {**EVENTS[name](ids), **_owned(desk, org)})
    told = _reminded(helpers, desk["api"]["desk_a"], EXPECTED_TITLE[name])
    told = [n for n in told if n["link"].endswith(ids[0])]
    assert len(told) == 1, told
    rows = _reminders(helpers, ids[0])
    assert rows == [(desk["users"]["desk_a"]["id"], "fired")]
    assert not [n for n in desk["api"]["desk_a2"].get("/notifications").json()["items"]
                if n["link"].endswith(ids[0])]
    kind = told[0]["kind"]
    assert kind == {"finance.receivable_overdue": "reminder_receivable_overdue",
                    "customers.important_date_upcoming": "reminder_important_date",
                    "sales.contract_expiring": "reminder_contract_expiring"}[name]
    filtered = desk["api"]["desk_a"].get("/notifications", params={"kind": kind, "unread": "true"}).json()["items"]
    assert told[0]["id"] in {n["id"] for n in filtered} and {n["kind"] for n in filtered} == {kind}
