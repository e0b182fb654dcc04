"""The approval engine's pure rules: entry conditions, targets, who may act."""
import pytest

from crm_common.principal import Principal
from crm_sales.approvals.queries import may_act
from crm_sales.approvals.rules import (ChoiceMissing, Org, Settings, as_stage, next_stage, parent_path, resolve,
                                       restart_at, snapshot, stage_done, step_matches, target_path, waiting_for)

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


# --- approver kinds resolved into stages (issue 17) -----------------------------------------------

ORG = Org(managers={"clerk": "mid", "mid": "top", "top": None, "loop1": "loop2", "loop2": "loop1"},
          active=frozenset({"mid", "top", "loop2", "r1", "r2"}), members={"role": ["r1", "r2"], "empty": []})
ALONE = Settings()


def _step(name="s", **approver):
    return {"name": name, "conditions": {}, "approver": approver}


def _who(stages):
    return [(s["user_ids"], s["mode"], s.get("fallback"), s.get("auto_passed")) for s in stages]


def test_named_users_in_sequence_are_one_stage_each_all_and_any_are_one_stage():
    seq = resolve([_step(kind="users", user_ids=["a", "b"])], {}, "clerk", ORG, ALONE)
    assert _who(seq) == [(["a"], "any", None, None), (["b"], "any", None, None)]
    assert _who(resolve([_step(kind="users", user_ids=["a", "b"], mode="all")], {}, "clerk", ORG, ALONE)) == [
        (["a", "b"], "all", None, None)]
    # a step written before the kinds: one named user
    assert _who(resolve([_step(user_id="a")], {}, "clerk", ORG, ALONE)) == [(["a"], "any", None, None)]


def test_the_nth_superior_falls_back_to_the_highest_there_is_or_to_nobody():
    assert _who(resolve([_step(kind="superior", level=2)], {}, "clerk", ORG, ALONE)) == [(["top"], "any", None, None)]
    assert _who(resolve([_step(kind="superior", level=4)], {}, "clerk", ORG, ALONE)) == [
        (["top"], "any", "nearest", None)]
    assert _who(resolve([_step(kind="superior", level=4, fallback="none")], {}, "clerk", ORG, ALONE)) == [
        ([], "any", None, True)]
    # an inactive superior at the level is no approver; a cycle in the chart ends the chain
    inactive = Org(managers=ORG.managers, active=frozenset({"mid"}), members={})
    assert _who(resolve([_step(kind="superior", level=2)], {}, "clerk", inactive, ALONE)) == [
        (["mid"], "any", "nearest", None)]
    assert ORG.superiors("loop1", 5) == ["loop2"]


def test_continuous_superiors_go_up_one_stage_per_level():
    assert _who(resolve([_step(kind="superiors", up_to=5)], {}, "clerk", ORG, ALONE)) == [
        (["mid"], "any", None, None), (["top"], "any", None, None)]
    assert _who(resolve([_step(kind="superiors", up_to=1)], {}, "clerk", ORG, ALONE)) == [(["mid"], "any", None, None)]


def test_a_role_is_its_holders_and_an_empty_role_is_nobody():
    assert _who(resolve([_step(kind="role", role_id="role", mode="all")], {}, "clerk", ORG, ALONE)) == [
        (["r1", "r2"], "all", None, None)]
    admin = Settings(no_approver="admin", admin_user_id="boss")
    assert _who(resolve([_step(kind="role", role_id="empty")], {}, "clerk", ORG, admin)) == [
        (["boss"], "any", "admin", None)]


def test_the_submitter_chooses_or_the_preview_says_they_will():
    assert _who(resolve([_step(kind="chosen", mode="all")], {}, "clerk", ORG, ALONE, ["a", "b", "a"])) == [
        (["a", "b"], "all", None, None)]
    with pytest.raises(ChoiceMissing):
        resolve([_step(kind="chosen")], {}, "clerk", ORG, ALONE)
    (stage,) = resolve([_step(kind="chosen")], {}, "clerk", ORG, ALONE, preview=True)
    assert stage["to_choose"] and stage["user_ids"] == []


def test_the_department_head_is_the_permission_in_the_submitters_department():
    (stage,) = resolve([_step(kind="department_head", permission="orders.approve")], {}, "clerk", ORG, ALONE)
    assert (stage["permission"], stage["target"]) == ("orders.approve", "submitter_department")


def test_the_submitter_is_no_approver_of_their_own_unless_the_flow_allows_it():
    steps = [_step(kind="users", user_ids=["clerk", "a"], mode="all"), _step(kind="users", user_ids=["clerk"])]
    assert _who(resolve(steps, {}, "clerk", ORG, ALONE)) == [(["a"], "all", None, None), ([], "any", None, True)]
    assert _who(resolve(steps, {}, "clerk", ORG, Settings(allow_self_approval=True)))[1] == (
        ["clerk"], "any", None, None)


def test_countersign_waits_for_all_any_for_one():
    both = {"mode": "all", "user_ids": ["a", "b"]}
    assert not stage_done(both, {"a"}) and waiting_for(both, {"a"}) == ["b"] and stage_done(both, {"a", "b"})
    either = {"mode": "any", "user_ids": ["a", "b"]}
    assert stage_done(either, {"b"}) and waiting_for(either, set()) == ["a", "b"]
    assert not stage_done({"mode": "any", "permission": "p"}, set())
    assert next_stage([{"auto_passed": True}, {}, {}], 0) == 1 and next_stage([{"auto_passed": True}], 0) is None


def test_a_resubmission_restarts_at_the_first_or_the_rejecting_stage():
    stages = [{}, {}, {}]
    rejected = {"status": "rejected", "flow_version": 3, "current_step": 2}
    assert restart_at("rejected_step", rejected, 3, stages) == 2
    assert restart_at("first", rejected, 3, stages) == 0
    assert restart_at("rejected_step", rejected, 4, stages) == 0  # the flow changed since
    assert restart_at("rejected_step", {**rejected, "status": "withdrawn"}, 3, stages) == 0
    assert restart_at("rejected_step", None, 3, stages) == 0
    assert restart_at("rejected_step", rejected, 3, [{}]) == 0  # fewer stages now: the last one there is
