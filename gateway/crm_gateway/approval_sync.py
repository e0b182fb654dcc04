"""The upgrade's sync of the approval engine's people (issue 17, docs/approvals.md "The org chart").

A user saved by this release tells the engine of their branch in the save's own transaction; users
saved before the engine existed, and the first administrator (`create-admin` runs before any
service), have no row there. So `python -m crm_gateway migrate` sends, after the migrations, every
user of each branch this gateway serves that the engine does not know yet (`missing_only`: a user
saved meanwhile was sent by that save, and is newer than this list), and the gateway does the
same once at start for each branch whose engine did not answer then (on a first installation the
services start only after the migrations). Idempotent: a second run adds nothing.
"""
import logging

import eventlet

from crm_common import principal as principal_context
from crm_common.errors import CrmError
from crm_common.principal import SYSTEM_USER_ID, Principal
from crm_gateway.identity import directory

log = logging.getLogger(__name__)
BATCH = 1000
RETRY_SECONDS = 5.0
PING_SECONDS = 2.0


def _system(branch: str) -> Principal:
    """The gateway itself, as the administrator of every branch's users."""
    return Principal(user_id=SYSTEM_USER_ID, department_path="/", branch=branch, scope="all",
                     permissions=frozenset({"admin.users"}))


def sync_branch(session_factory, branches, branch: str, timeout: float | None = None) -> int:
    """Send the branch's engine the people it lacks; how many it added. Raises CrmError (503)
    when the branch's sales service does not answer."""
    people = directory.approval_people(session_factory, _system(branch)).get(branch, [])
    context = {**principal_context.encode_context(_system(branch)), "correlation_id": f"approval-sync-{branch}"}
    added = 0
    for start in range(0, len(people), BATCH):
        added += branches.client(branch).call("sales", "sync_approval_people", [
            {"people": people[start:start + BATCH], "missing_only": True}], context, timeout)["synced"]
    return added


def sync(session_factory, branches, timeout: float | None = None) -> list[str]:
    """One try per served branch; the branches whose engine did not answer."""
    waiting = []
    for branch in sorted(branches.clients):
        try:
            # a service that is not up answers nothing: a short ping, not a whole timeout per batch
            branches.client(branch).call("sales", "ping", [], {}, timeout=PING_SECONDS)
            added = sync_branch(session_factory, branches, branch, timeout)
            log.info("approval engine of %s: %d people added", branch, added)
        except CrmError as exc:
            log.warning("approval engine of %s did not take its people (%s); the gateway sends them at start",
                        branch, exc)
            waiting.append(branch)
    return waiting


def keep_trying(session_factory, branches) -> None:
    """At the gateway's start: until every branch's engine has its people."""
    waiting = sorted(branches.clients)
    while waiting:
        still = []
        for branch in waiting:
            try:
                sync_branch(session_factory, branches, branch)
            except CrmError:
                still.append(branch)
        waiting = still
        if waiting:
            eventlet.sleep(RETRY_SECONDS)
