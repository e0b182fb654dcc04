"""The approval engine's pure rules: entry conditions, targets, who may act."""
from crm_common.principal import Principal
from crm_sales.approvals.queries import may_act
from crm_sales.approvals.rules import as_stage, parent_path, snapshot, step_matches, target_path

EAST, ROOT = "/hq/east/", "/hq/"


def _principal(scope, path=EAST, perms=("orders.approve",), user="u1"):
    return Principal(user_id=user, department_path=path, branch="SH", scope=scope, permissions=frozenset(perms))


def test_conditions_are_strictly_greater_and_all_must_hold():
    step = {"conditions": {"min_amount": "1000.00", "min_discount_percent": "10"}}
    assert step_matches(step, {"amount": "1000.01", "discount_percent": "10.5"})
    assert not step_matches(step, {"amount": "1000.00", "discount_percent": "50"})
    assert not step_matches(step, {"amount": "5000", "discount_percent": "10"})
    assert step_matches({"conditions": {}}, {})
    assert step_matches({"conditions": {"customer_levels": ["A", "B"]}}, {"customer_level": "B"})
    assert not step_matches({"conditions": {"customer_levels": ["A"]}}, {"customer_level": None})
    assert not step_matches({"conditions": {"discount_over_limit": True}}, {"discount_over_limit": False})


def test_snapshot_keeps_matching_steps_in_order_as_copies():
    steps = [{"name": "a"}, {"name": "b", "conditions": {"min_amount": "10"}}, {"name": "c"}]
    frozen = snapshot(steps, {"amount": "5"})
    assert [s["name"] for s in frozen] == ["a", "c"]
    frozen[0]["name"] = "changed"
    assert steps[0]["name"] == "a"


def test_targets_are_relative_to_the_submitter():
    assert parent_path(EAST) == ROOT and parent_path("/") == "/"
    step = {"name": "s", "approver": {"permission": "orders.approve", "target": "parent_department"}}
    assert target_path(as_stage(step), "/doc/", EAST) == ROOT
    step["approver"]["target"] = "submitter_department"
    assert target_path(as_stage(step), "/doc/", EAST) == EAST
    step["approver"]["target"] = "document"
    assert target_path(as_stage(step), "/doc/", EAST) == "/doc/"


def test_may_act_needs_the_permission_and_a_scope_covering_the_target():
    common = {"permission": "orders.approve", "user_ids": None, "owner_id": "owner", "branch": "SH"}
    assert may_act(_principal("department"), target=EAST, **common)
    assert not may_act(_principal("department", path="/hq/west/"), target=EAST, **common)
    assert not may_act(_principal("department"), target=ROOT, **common)  # the parent is someone else's
    assert may_act(_principal("subtree", path=ROOT), target=EAST, **common)
    assert not may_act(_principal("subtree", perms=()), target=EAST, **common)
    assert not may_act(_principal("branch"), target=EAST, **{**common, "branch": "BJ"})


def test_a_named_approver_is_that_user_whatever_their_permissions():
    named = {"permission": None, "user_ids": ["boss"], "owner_id": "o", "target": None, "branch": "SH"}
    assert may_act(_principal("own", perms=(), user="boss"), **named)
    assert not may_act(_principal("all", user="someone"), **named)
