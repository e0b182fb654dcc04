"""The approval engine's rules (SAL-07), free of framework code.

A flow is a list of steps. A step has entry conditions (all given ones must hold) and an
approver of one kind:
  - `users`: named users, one after the other (`sequence`), all of them (会签, `all`) or any one
    (或签, `any`);
  - `superior`: the submitter's Nth-level direct superior (直属上级, following `manager_id`), with a
    fallback when the chain is shorter: the highest superior there is (`nearest`) or none;
  - `superiors`: every superior from the first level up to `up_to`, one after the other;
  - `role`: the active holders of a role in the submitter's branch, all or any;
  - `chosen`: the users the submitter names at submit time (发起人自选), all, any or in sequence;
  - `permission` (today's kind): whoever holds `permission` and whose data scope covers the
    target department, the target being
      `document` (the document's own department), `submitter_department` (the head of the
      submitter's department: the holder of the approving permission whose scope is that
      department; the kind `department_head` says the same) or `parent_department`.
On submit every matching step is resolved into stages of concrete approvers and copied into the
document's approval (a snapshot), so a later change to the flow or the org chart does not change
documents already in flight; the preview runs the same resolution without saving anything.
A stage nobody can approve (no superior, an empty role, the submitter alone when a flow forbids
self-approval) follows the flow's `no_approver` setting: `auto_pass` or the flow's administrator.
After a rejection, a resubmission starts at the first stage or at the stage that rejected
(`restart`), when the flow's version is still the one the rejection happened under.
The sales service never reads the org chart: the gateway sends it the people (manager, roles,
branch, active) and signs the caller's permissions, scope and department path, which is enough to
decide who may act (`queries.may_act`, beside its SQL twin).
"""
from dataclasses import dataclass, field
from decimal import Decimal

from crm_common.statemachine import StateMachine

# The finance service's documents (FIN-02, FIN-05): they pass through the engine only once a flow
# for them is configured; finance learns which from `sales.approval_flow_changed`.
FINANCE_TYPES = ("invoice", "invoice_reversal", "receipt")
DOCUMENT_TYPES = ("order", "discount", "contract", "contract_change", "contract_termination", "return",
                  "pool_extension", "expense_reimbursement", *FINANCE_TYPES)
# kept by another service, decided here
FOREIGN_TYPES = ("pool_extension", "expense_reimbursement", *FINANCE_TYPES)
TARGETS = ("document", "submitter_department", "parent_department")
KINDS = ("users", "superior", "superiors", "role", "chosen", "permission", "department_head")
MODES = ("sequence", "all", "any")
NO_APPROVER = ("auto_pass", "admin")
RESTART = ("first", "rejected_step")
FALLBACKS = ("nearest", "none")
MAX_LEVELS = 10  # how far up the chain of superiors a flow may reach

# One approval of one submission: it waits at a step until it ends one way or another.
LIFECYCLE = StateMachine("approval", {
    "approve": ({"pending"}, "approved"),
    "reject": ({"pending"}, "rejected"),
    "withdraw": ({"pending"}, "withdrawn"),
})


def step_matches(step: dict, facts: dict) -> bool:
    cond = step.get("conditions") or {}
    if "min_amount" in cond and not Decimal(facts.get("amount", "0")) > Decimal(cond["min_amount"]):
        return False
    if "min_discount_percent" in cond and not (
            Decimal(facts.get("discount_percent", "0")) > Decimal(cond["min_discount_percent"])):
        return False
    if cond.get("customer_levels") and facts.get("customer_level") not in cond["customer_levels"]:
        return False
    if cond.get("discount_over_limit") and not facts.get("discount_over_limit"):
        return False
    return True


def snapshot(steps: list, facts: dict) -> list:
    """The steps this submission must pass, frozen."""
    return [dict(step) for step in steps if step_matches(step, facts)]


def parent_path(path: str) -> str:
    """"/a/b/" -> "/a/"; the root stays the root."""
    segments = [s for s in path.split("/") if s]
    return "/" + "".join(f"{s}/" for s in segments[:-1])


def target_path(stage: dict, document_path: str, submitter_path: str) -> str:
    target = stage.get("target", "document")
    if target == "submitter_department":
        return submitter_path
    if target == "parent_department":
        return parent_path(submitter_path)
    return document_path


def kind_of(approver: dict) -> str:
    """Steps saved before the kinds came name a permission or one user."""
    return approver.get("kind") or ("users" if approver.get("user_id") else "permission")


@dataclass(frozen=True)
class Org:
    """What the engine knows of the org chart: each person's manager, who is active, role holders."""
    managers: dict = field(default_factory=dict)  # user id -> manager's user id (or None)
    active: frozenset = frozenset()
    members: dict = field(default_factory=dict)  # role id -> [user ids], active ones of the branch

    def superiors(self, user_id: str, levels: int) -> list:
        """The chain above a user, nearest first, at most `levels` long (a cycle stops it)."""
        chain, seen, current = [], {user_id}, user_id
        while len(chain) < levels:
            current = self.managers.get(current)
            if current is None or current in seen:
                break
            chain.append(current)
            seen.add(current)
        return chain


@dataclass(frozen=True)
class Settings:
    allow_self_approval: bool = False
    no_approver: str = "auto_pass"
    admin_user_id: str | None = None


class ChoiceMissing(Exception):
    """A `chosen` step applies and the submitter named nobody."""


def _users_stages(name: str, kind: str, mode: str, user_ids: list) -> list:
    if mode == "sequence":
        return [{"name": name, "kind": kind, "mode": "any", "user_ids": [u]} for u in user_ids]
    return [{"name": name, "kind": kind, "mode": mode, "user_ids": list(user_ids)}]


def _candidates(step: dict, submitter_id: str, org: Org, chosen: list | None, preview: bool) -> list:
    """The stages of one step before the no-approver and self-approval rules; [] when nobody."""
    approver, name = step["approver"], step["name"]
    kind = kind_of(approver)
    if kind == "users":
        ids = approver.get("user_ids") or [approver["user_id"]]
        return _users_stages(name, kind, approver.get("mode", "sequence"), ids)
    if kind == "superior":
        level = approver.get("level", 1)
        chain = org.superiors(submitter_id, level)
        if len(chain) == level and chain[-1] in org.active:
            return _users_stages(name, kind, "any", [chain[-1]])
        if approver.get("fallback", "nearest") == "nearest":
            # the chain is shorter (or that superior left): the highest active one there is
            for user in reversed(chain):
                if user in org.active:
                    return [{**_users_stages(name, kind, "any", [user])[0], "fallback": "nearest"}]
        return []
    if kind == "superiors":
        chain = [u for u in org.superiors(submitter_id, approver.get("up_to", 1)) if u in org.active]
        return _users_stages(name, kind, "sequence", chain)
    if kind == "role":
        members = sorted(org.members.get(approver["role_id"], ()))
        return _users_stages(name, kind, approver.get("mode", "any"), members) if members else []
    if kind == "chosen":
        if not chosen and preview:
            return [{"name": name, "kind": kind, "mode": approver.get("mode", "any"), "user_ids": [],
                     "to_choose": True}]
        if not chosen:
            raise ChoiceMissing(name)
        return _users_stages(name, kind, approver.get("mode", "any"), list(dict.fromkeys(chosen)))
    target = "submitter_department" if kind == "department_head" else approver.get("target", "document")
    return [{"name": name, "kind": kind, "mode": "any", "permission": approver["permission"], "target": target}]


def resolve(steps: list, facts: dict, submitter_id: str, org: Org, settings: Settings,
            chosen: list | None = None, preview: bool = False) -> list:
    """The stages a submission passes, in order: each is a set of users (all or any of them must
    approve) or a permission audience. A stage nobody can approve is kept, marked `auto_passed`,
    or goes to the flow's administrator. The preview shows a `chosen` step nobody was chosen for
    yet as `to_choose`; a submission without the choice raises ChoiceMissing."""
    stages = []
    for step in snapshot(steps, facts):
        found = _candidates(step, submitter_id, org, chosen, preview)
        for stage in found:
            if "user_ids" in stage and not settings.allow_self_approval:
                stage["user_ids"] = [u for u in stage["user_ids"] if u != submitter_id]
        found = [s for s in found if s.get("user_ids") or "permission" in s or s.get("to_choose")]
        if found:
            stages.extend(found)
        elif settings.no_approver == "admin" and settings.admin_user_id:
            stages.append({"name": step["name"], "kind": kind_of(step["approver"]), "mode": "any",
                           "user_ids": [settings.admin_user_id], "fallback": "admin"})
        else:
            stages.append({"name": step["name"], "kind": kind_of(step["approver"]), "mode": "any",
                           "user_ids": [], "auto_passed": True})
    return stages


def as_stage(step: dict) -> dict:
    """A step of an approval started before the kinds came (its approver unresolved) as a stage."""
    if "approver" not in step:
        return step
    approver = step["approver"]
    if approver.get("user_id"):
        return {"name": step["name"], "kind": "users", "mode": "any", "user_ids": [approver["user_id"]]}
    return {"name": step["name"], "kind": "permission", "mode": "any", "permission": approver["permission"],
            "target": approver.get("target", "document")}


def next_stage(stages: list, start: int) -> int | None:
    """The first stage from `start` on that waits for someone; None when all are passed."""
    for index in range(start, len(stages)):
        if not stages[index].get("auto_passed"):
            return index
    return None


def restart_at(restart: str, previous: dict | None, flow_version: int, stages: list) -> int:
    """Where a resubmission starts: after a rejection under the same flow version, at the stage
    that rejected if the flow says so; otherwise (and always for a first submission) at the first."""
    if (restart != "rejected_step" or previous is None or previous["status"] != "rejected"
            or previous["flow_version"] != flow_version):
        return 0
    return min(previous["current_step"], max(len(stages) - 1, 0))


def waiting_for(stage: dict, approved_by: set) -> list:
    """Who may still act on a stage of users, given who approved it already."""
    if stage["mode"] == "all":
        return [u for u in stage["user_ids"] if u not in approved_by]
    return list(stage["user_ids"])


def stage_done(stage: dict, approved_by: set) -> bool:
    """会签: every user approved; 或签 (and a permission stage): one approval is enough."""
    if stage.get("user_ids") and stage["mode"] == "all":
        return all(u in approved_by for u in stage["user_ids"])
    return bool(approved_by)


def step_label(steps: list, index: int) -> str:
    """How people name a step in a message: numbered from 1, with its name and the count."""
    return f"step {index + 1} of {len(steps)} ('{steps[index]['name']}')"
