"""Approvers outside the scope, for the services whose documents the sales engine decides.

Whoever the engine asks to decide a document, or who decided a stage of it, reads it even where
their data scope does not reach (docs/approvals.md, "Approvers outside the scope"). Sales' own
documents widen their statements with `approvals.queries.approver_of`; the customers service and
finance keep no copy of the engine's approvals, so they ask sales the same rule
(`sales.approves_document`), as the caller, and only when the document exists outside the scope:
a read in scope, a missing document and every list cost no call.
"""
import logging
from collections.abc import Callable
from typing import TypeVar

import eventlet
from nameko.rpc import RpcProxy

from crm_common.errors import NotFound
from crm_common.records import get_in_scope, is_uuid

log = logging.getLogger(__name__)
APPROVERS_TIMEOUT_SECONDS = 5.0
T = TypeVar("T")


class ApproverClient:
    """Mixed into the service; use cases get `approves` and stay free of Nameko."""
    sales = RpcProxy("sales")

    def approves(self, document_type: str, document_id: str) -> bool:
        """Sales down or slow: not an approver, so the document stays a 404 — the desk the
        approver came from is sales' too, and nothing is shown wider than the rule allows."""
        try:
            with eventlet.Timeout(APPROVERS_TIMEOUT_SECONDS):
                return self.sales.approves_document(document_type, document_id) is True
        except eventlet.Timeout:
            log.warning("sales did not say whether the caller approves %s %s: answered as out of scope",
                        document_type, document_id)
            return False


def in_scope_or_approver(read_in_scope: Callable[[], T], read_any: Callable[[], T | None],
                         document_type: Callable[[T], str], approves: Callable[[str, str], bool]) -> T:
    """What `read_in_scope()` finds; when it raises NotFound, the record `read_any()` finds
    whatever the scope (None: absent) if the caller approves or approved it as the engine's
    `document_type(record)`. Anyone else gets the NotFound."""
    try:
        return read_in_scope()
    except NotFound:
        record = read_any()
        if record is None or not approves(document_type(record), record.id):
            raise
        return record


def get_in_scope_or_approver(session, model, record_id, principal, document_type: Callable[[T], str],
                             approves: Callable[[str, str], bool]) -> T:
    """get_in_scope for a record with scope columns of its own, widened to its approvers."""
    return in_scope_or_approver(
        lambda: get_in_scope(session, model, record_id, principal),
        lambda: session.get(model, str(record_id)) if is_uuid(record_id) else None, document_type, approves)
