"""Pure rules of the pools."""
from datetime import date, timedelta
from crm_common.statemachine import StateMachine

# the document type of an extension request in the sales approval engine
EXTENSION_DOCUMENT = "pool_extension"
# An extension request waits for the sales approval engine; its outcome is the request's end.
EXTENSION = StateMachine("extension request", {
    "approved": ({"pending"}, "approved"),
    "rejected": ({"pending"}, "rejected"),
    "withdrawn": ({"pending"}, "withdrawn"),
})


def handover_status(counts: dict, services: tuple[str, ...]) -> str:
    """A hand-over is done once every service that keeps owned records has reported its counts."""
    return "done" if all(service in counts for service in services) else "running"


def pending_services(counts: dict, services: tuple[str, ...]) -> list[str]:
    return [service for service in services if service not in counts]


# --- pools (CUS-15) -------------------------------------------------------------------------------

POOL_ROLES = ("member", "admin")
# why a customer's recycle date is what it is: the rule clock that ends first, or what holds it
DUE_REASONS = ("no_followup", "no_opportunity", "no_deal")
HOLD_REASONS = ("locked", "won", "open_opportunity")
REASONS = DUE_REASONS + HOLD_REASONS
RULE_CLOCKS = ("days_without_followup", "days_without_opportunity", "days_without_deal")
ALL_LEVELS = "*"  # the rule set once for the whole pool; a value level's own rule replaces it


def may_claim(roles: dict[str, str], user_id: str) -> bool:
    """{user id: role} of the pool: a pool without people is open to the branch; otherwise its
    members and admins claim from it."""
    return not roles or user_id in roles


def may_assign(roles: dict[str, str], user_id: str, holds_assign: bool) -> bool:
    """A pool admin assigns from the pool; so does whoever holds customers.assign (in scope)."""
    return holds_assign or roles.get(user_id) == "admin"


def claim_refusal(*, claims_today: int, quota: int, owned: int, owned_limit: int | None,
                  blocked_until: date | None, today: date) -> tuple[str, dict] | None:
    """Why a claim is refused (a 409's detail and errors), or None: the former owner's wait, the
    daily quota (branch day), the limit of customers one may own."""
    if blocked_until is not None and today < blocked_until:
        return (f"You released or lost this customer recently; you may claim it again from {blocked_until}",
                {"claim": [f"Blocked for the former owner until {blocked_until.isoformat()}."]})
    if claims_today >= quota:
        return (f"Daily claim limit of {quota} reached", {"claim": [f"At most {quota} claims per day."]})
    if owned_limit is not None and owned >= owned_limit:
        return (f"You own {owned} customers, the limit of {owned_limit}",
                {"owner_id": [f"At most {owned_limit} customers per user."]})
    return None


def reclaim_blocked_until(left_on: date | None, block_days: int) -> date | None:
    """The first branch day the former owner may claim again: `block_days` after the day the
    customer left them; None when it never left them or there is no block."""
    if left_on is None or block_days <= 0:
        return None
    return left_on + timedelta(days=block_days)


def owned_limit_refusal(owned: int, limit: int | None, adding: int = 1) -> str | None:
    if limit is not None and owned + adding > limit:
        return f"At most {limit} customers per user ({owned} owned)."
    return None


def lock_refusal(locked: int, limit: int | None) -> str | None:
    if limit is not None and locked >= limit:
        return f"At most {limit} locked customers per user."
    return None


def rule_problems(rule: dict) -> dict:
    """A rule needs at least one of its clocks (a level that is never recycled has no rule)."""
    if all(rule.get(k) is None for k in RULE_CLOCKS):
        return {"days_without_followup": ["Set at least one of the three days."]}
    return {}


def pool_for(department_path: str, pools: list[tuple[str, str | None]]) -> str | None:
    """The pool of an owned customer: (id, department_path) of the deepest department pool above
    its department, else the default one (department_path None). The same choice as
    customers/use_cases._POOL_SQL, for rows that are not in the table yet (the import)."""
    best, depth = None, -1
    for pool_id, path in pools:
        if path is None and depth < 0:
            best = pool_id
        elif path is not None and department_path.startswith(path) and len(path) > depth:
            best, depth = pool_id, len(path)
    return best


def new_customer_clock(rules: dict[str, dict], value_level: str | None) -> tuple[int, str] | None:
    """(days, reason) of a customer that has no follow-up, opportunity or deal yet: every clock
    starts the day its owner got it, so the shortest one ends first (ties: follow-up, opportunity,
    deal, as customers/use_cases._RECYCLE_SQL orders them). `rules` by value level for one pool;
    the level's rule, else '*' (the one choice of _LEVEL_RULES)."""
    rule = rules.get(value_level) if value_level is not None else None
    rule = rule if rule is not None else rules.get(ALL_LEVELS)
    if rule is None:
        return None
    clocks = [(rule[k], reason) for k, reason in zip(RULE_CLOCKS, DUE_REASONS, strict=True) if rule.get(k) is not None]
    return min(clocks, key=lambda c: c[0]) if clocks else None
