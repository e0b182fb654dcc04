"""A departing user's hand-over through its use cases: the customers move here at once, the
other services' answers fill the counts, and the hand-over is done once all have answered."""
import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_customers.customers import queries as customer_queries
from crm_customers.pool import rules
from crm_customers.pool.use_cases import handover

SERVICES = ("customers", "sales", "logistics", "workspace")


@pytest.fixture
def hr_admin(principal_factory):
    return principal_factory(permissions={"admin.users", "customers.read"}, scope="branch")


def test_a_hand_over_is_done_once_every_service_reported():
    assert rules.handover_status({"customers": {}}, SERVICES) == "running"
    counts = {s: {} for s in SERVICES}
    assert rules.handover_status(counts, SERVICES) == "done"
    assert rules.pending_services({"customers": {}, "sales": {}}, SERVICES) == ["logistics", "workspace"]


def test_the_customers_move_at_once_and_the_services_counts_follow(uow, hr_admin, rep, other_rep, user_of,
                                                                   new_customer, emitted):
    for name in ("甲公司", "乙公司"):
        new_customer(name)
    job = handover.start(uow(), hr_admin, {"from": user_of(rep), "to": user_of(other_rep)})
    assert job["counts"] == {"customers": {"customers": 2}} and job["status"] == "running"
    assert job["pending_services"] == ["sales", "logistics", "workspace"]
    assert len(customer_queries.list_(uow(), other_rep, {})["items"]) == 2
    [(_, started)] = emitted("customers.handover_started")
    assert (started["from_user_id"], started["owner_id"]) == (rep.user_id, other_rep.user_id)
    reasons = {data["reason"] for _, data in emitted("customers.owner_changed")}
    assert "handed_over" in reasons

    scope = {"owner_id": other_rep.user_id, "department_path": other_rep.department_path, "branch": "HQ"}
    for service, counts in (("sales", {"orders": 2}), ("logistics", {"field_service_orders": 1}),
                            ("workspace", {"calendar_events": 3})):
        with uow() as unit:
            handover.record_done(unit, service, {"handover_id": job["id"], "counts": counts, **scope})
    done = handover.get(uow(), hr_admin, job["id"])
    assert done["status"] == "done" and done["done_at"] and done["pending_services"] == []
    assert done["counts"]["sales"] == {"orders": 2} and done["counts"]["workspace"] == {"calendar_events": 3}


def test_a_hand_over_needs_the_admin_and_a_real_receiver(uow, hr_admin, rep, user_of):
    with pytest.raises(Forbidden):
        handover.start(uow(), rep, {"from": user_of(rep), "to": user_of(hr_admin)})
    with pytest.raises(InvalidInput):
        handover.start(uow(), hr_admin, {"from": user_of(rep), "to": user_of(rep)})
    with pytest.raises(InvalidInput):
        handover.start(uow(), hr_admin, {"from": user_of(rep), "to": user_of(hr_admin, active=False)})
    with pytest.raises(NotFound):
        handover.get(uow(), hr_admin, "not-an-id")
