"""Head-office calls across branches: merged lists with a cursor that keeps working, reports per
branch, and lookups by id.

Lists: every branch is asked for a page in the same sort; pages are merged by repeatedly taking
the smallest head among the branches, which keeps each branch's own order, so what is taken from
a branch is always a prefix of its page. The merged cursor remembers, per branch, where to go on:
the branch's own next cursor if its page was used up, a cursor after the last item taken
otherwise, or "done". A branch that does not answer is named in `missing_branches` and
asked again with the same position next time, instead of failing or hanging the whole answer.
"""
import base64
import hashlib
import hmac
import json
import os
import re
from decimal import Decimal

import eventlet

from crm_common import config
from crm_common.errors import BadRequest, CrmError, NotFound, Unavailable
from crm_common.pagination import DEFAULT_LIMIT, MAX_LIMIT, encode_cursor

DONE = "done"
# A branch slower than this is reported missing rather than holding up head office's answer.
FANOUT_TIMEOUT = float(os.environ.get("CRM_FANOUT_TIMEOUT_SECONDS", "5"))
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _sign(raw: bytes) -> str:
    return hmac.new(config.secret_key(), b"fanout:" + raw, hashlib.sha256).hexdigest()[:32]


def encode(positions: dict) -> str:
    raw = json.dumps(positions, sort_keys=True, separators=(",", ":")).encode()
    return f"{base64.urlsafe_b64encode(raw).decode().rstrip('=')}.{_sign(raw)}"


def decode(cursor: str, branches) -> dict:
    try:
        payload, signature = cursor.split(".", 1)
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
        positions = json.loads(raw) if hmac.compare_digest(_sign(raw), signature) else None
    except (ValueError, TypeError):
        positions = None
    if not isinstance(positions, dict) or set(positions) - set(branches):
        raise BadRequest("Invalid cursor", {"cursor": ["Not a cursor issued for this query."]})
    return positions


def _key(item: dict, field: str):
    """Money and quantities travel as decimal strings: compare those as numbers."""
    value = item.get(field)
    if value is None:
        return (2, "", item.get("id"))
    if isinstance(value, str) and NUMBER.match(value):
        return (0, Decimal(value), item.get("id"))
    return (1, value, item.get("id"))


def merge(pages: dict, sort: str, limit: int) -> tuple[list, dict]:
    """(items, taken count per branch) — pure, so it is unit-tested on its own."""
    field, descending = sort.lstrip("-"), sort.startswith("-")
    heads = {branch: 0 for branch in pages}
    items, taken = [], {branch: 0 for branch in pages}
    while len(items) < limit:
        candidates = [(b, pages[b][heads[b]]) for b in heads if heads[b] < len(pages[b])]
        if not candidates:
            break
        pick = (max if descending else min)(candidates, key=lambda c: _key(c[1], field))
        items.append(pick[1])
        heads[pick[0]] += 1
        taken[pick[0]] += 1
    return items, taken


def _gather(calls: dict) -> tuple[dict, list]:
    """Run {branch: thunk} concurrently; ({branch: result or exception}, branches that did not answer)."""
    pool, results, missing = eventlet.GreenPool(), {}, []

    def run(branch, thunk):
        try:
            results[branch] = thunk()
        except CrmError as exc:
            results[branch] = exc

    for branch, thunk in calls.items():
        pool.spawn(run, branch, thunk)
    pool.waitall()
    for branch, result in list(results.items()):
        if isinstance(result, Unavailable):
            missing.append(branch)
            del results[branch]
    return results, sorted(missing)


def list_across(branches, call, query: dict, default_sort: str) -> dict:
    """`call(branch, query)` lists one branch; returns the merged page."""
    sort = query.get("sort") or default_sort
    try:
        limit = min(MAX_LIMIT, max(1, int(query.get("limit", DEFAULT_LIMIT))))
    except ValueError:
        raise BadRequest("Invalid query parameters", {"limit": ["Not a valid integer."]}) from None
    positions = decode(query["cursor"], branches) if query.get("cursor") else {b: None for b in branches}
    active = {b: p for b, p in positions.items() if p != DONE}
    base = {k: v for k, v in query.items() if k != "cursor"} | {"sort": sort, "limit": str(limit)}
    calls = {b: (lambda b=b, p=p: call(b, {**base, **({"cursor": p} if p else {})})) for b, p in active.items()}
    results, missing = _gather(calls)
    for result in results.values():
        if isinstance(result, CrmError):
            raise result  # the same bad query fails the same way in every branch
    pages = {b: r["items"] for b, r in results.items()}
    items, taken = merge(pages, sort, limit)
    field = sort.lstrip("-")
    next_positions = dict(positions)
    for branch, page in pages.items():
        if taken[branch] == len(page):
            next_positions[branch] = results[branch]["next_cursor"] or DONE
        elif taken[branch]:
            last = page[taken[branch] - 1]
            next_positions[branch] = encode_cursor(sort, last[field], last["id"])
    more = any(p != DONE for p in next_positions.values())
    return {"items": items, "next_cursor": encode(next_positions) if more else None,
            "missing_branches": missing}


def each_branch(branches, call, query: dict) -> dict:
    """Reports and other answers that are not pages: each branch's own, side by side."""
    results, missing = _gather({b: (lambda b=b: call(b, query)) for b in branches})
    for result in results.values():
        if isinstance(result, CrmError):
            raise result  # the same bad query fails the same way in every branch
    return {"branches": dict(sorted(results.items())), "missing_branches": missing}


def first_found(branches, call):
    """The answer of the branch that has the record (`call(branch)`); 404 if none has it."""
    results, missing = _gather({b: (lambda b=b: call(b)) for b in branches})
    found = [r for r in results.values() if not isinstance(r, NotFound)]
    if found:
        if isinstance(found[0], CrmError):
            raise found[0]
        return found[0]
    if missing:
        raise Unavailable(f"Branch(es) {', '.join(missing)} did not answer; the record may be there")
    raise NotFound("Not found in any branch")
