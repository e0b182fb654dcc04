"""A signed principal is checked once per process and then served from memory: only the very
context with the very signature and key it was checked with (crm_common.principal)."""
import pytest

from crm_common import principal
from crm_common.principal import NOBODY, Principal, decode_context, encode_context

REP = Principal(user_id="u-1", department_path="/d/", branch="HQ", scope="own",
                permissions=frozenset({"customers.read"}), username="rep",
                fields={"customer.phone": {"access": "read_only", "mask": "list"}})


@pytest.fixture(autouse=True)
def key(monkeypatch):
    monkeypatch.setenv("CRM_SECRET_KEY", "principal-context-test")


def test_a_signed_context_gives_its_principal_each_time():
    context = encode_context(REP)
    assert decode_context(context) == REP
    assert decode_context(dict(context)) == REP


def test_a_context_changed_after_one_was_checked_is_refused():
    context = encode_context(REP)
    assert decode_context(context) == REP
    raw, sig = context[principal.CONTEXT_KEY], context[principal.SIGNATURE_KEY]
    wider = raw.replace('"scope":"own"', '"scope":"all"')
    assert wider != raw
    assert decode_context({principal.CONTEXT_KEY: wider, principal.SIGNATURE_KEY: sig}) is NOBODY
    other = sig[:-1] + ("1" if sig[-1] == "0" else "0")
    assert decode_context({principal.CONTEXT_KEY: raw, principal.SIGNATURE_KEY: other}) is NOBODY


def test_a_context_checked_with_another_key_is_checked_again(monkeypatch):
    context = encode_context(REP)
    assert decode_context(context) == REP
    monkeypatch.setenv("CRM_SECRET_KEY", "the-key-after-a-rotation")
    assert decode_context(context) is NOBODY


@pytest.mark.parametrize("context", [{}, {principal.CONTEXT_KEY: "{}"}, {principal.CONTEXT_KEY: ["x"],
                                     principal.SIGNATURE_KEY: ["y"]}])
def test_unsigned_or_malformed_contexts_see_nothing(context):
    assert decode_context(context) is NOBODY
