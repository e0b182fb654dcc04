"""The approval engine's rules (SAL-07), free of framework code.

A flow is a list of steps. A step has entry conditions (all given ones must hold) and an
approver: either a named user, or "whoever holds `permission` and whose data scope covers the
target department", the target being
  - `document`: the document's own department (anyone who could see it),
  - `submitter_department`: the submitter's department ("head of the submitter's department"
    = the holder of the approving permission whose scope is that department),
  - `parent_department`: the department above the submitter's.
The sales service never reads the org chart: the gateway signs the caller's permissions, scope
and department path, and this is enough to decide who may act (`queries.may_act`, beside its SQL
twin, since both need the principal's scope rule).
On submit the matching steps are copied into the document's approval (a snapshot), so a later
change to the flow does not change documents already in flight.
"""
from decimal import Decimal

from crm_common.statemachine import StateMachine

DOCUMENT_TYPES = ("order", "discount", "contract", "contract_change", "contract_termination", "return",
                  "pool_extension", "expense_reimbursement")
TARGETS = ("document", "submitter_department", "parent_department")

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


def target_path(step: dict, document_path: str, submitter_path: str) -> str:
    target = step["approver"].get("target", "document")
    if target == "submitter_department":
        return submitter_path
    if target == "parent_department":
        return parent_path(submitter_path)
    return document_path


def step_label(steps: list, index: int) -> str:
    """How people name a step in a message: numbered from 1, with its name and the count."""
    return f"step {index + 1} of {len(steps)} ('{steps[index]['name']}')"
