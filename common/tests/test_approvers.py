"""crm_common.approvers: a document outside the caller's scope is theirs only if sales says they
approve it; a missing one never costs a call."""
import pytest

from crm_common.approvers import in_scope_or_approver
from crm_common.errors import NotFound


class Record:
    id = "r-1"


def _out_of_scope():
    raise NotFound("Record not found")


def _asked(answer):
    calls = []

    def approves(document_type, document_id):
        calls.append((document_type, document_id))
        return answer
    return approves, calls


def test_a_record_in_scope_is_read_without_asking_sales():
    approves, calls = _asked(False)
    record = Record()
    assert in_scope_or_approver(lambda: record, lambda: None, lambda _: "invoice", approves) is record
    assert calls == []


def test_outside_the_scope_the_approver_reads_it_as_its_document_type():
    approves, calls = _asked(True)
    record = Record()
    assert in_scope_or_approver(_out_of_scope, lambda: record, lambda _: "receipt", approves) is record
    assert calls == [("receipt", "r-1")]


def test_outside_the_scope_anyone_else_gets_the_not_found():
    approves, calls = _asked(False)
    with pytest.raises(NotFound):
        in_scope_or_approver(_out_of_scope, Record, lambda _: "invoice", approves)
    assert calls == [("invoice", "r-1")]


def test_a_missing_record_is_not_found_without_asking_sales():
    approves, calls = _asked(True)
    with pytest.raises(NotFound):
        in_scope_or_approver(_out_of_scope, lambda: None, lambda _: "invoice", approves)
    assert calls == []
