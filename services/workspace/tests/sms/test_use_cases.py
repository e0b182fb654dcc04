"""SMS through its use cases with a provider that records what it was handed."""
import pytest

from crm_common.errors import Forbidden, InvalidInput, NotFound
from crm_workspace.sms import queries, use_cases
from crm_workspace.sms.providers import SendResult

SMS = {"sms.send", "sms.read", "sms.optouts"}


class Provider:
    name = "fake"

    def __init__(self, status="sent"):
        self.sent, self.status = [], status

    def send(self, phone, body):
        self.sent.append((phone, body))
        return SendResult(self.status, f"m{len(self.sent)}", None if self.status == "sent" else "rejected")


@pytest.fixture
def provider():
    return Provider()


@pytest.fixture
def me(principal_factory):
    return principal_factory(permissions=SMS, scope="own")


def send(uow, who, provider, phone="+86 139-1234-5678", body="您的订单已发货"):
    return use_cases.send(uow(), who, {"phone": phone, "body": body}, provider)


def test_a_message_goes_to_the_provider_and_into_the_log(uow, me, provider):
    sent = send(uow, me, provider)
    assert provider.sent == [("13912345678", "您的订单已发货")]
    assert sent["status"] == "sent" and sent["provider"] == "fake" and sent["provider_message_id"] == "m1"
    assert [m["id"] for m in queries.list_(uow(), me, {"phone": "139 1234 5678"})["items"]] == [sent["id"]]


def test_a_refusal_by_the_provider_is_logged_as_failed(uow, me):
    failed = send(uow, me, Provider("failed"))
    assert failed["status"] == "failed" and failed["error"] == "rejected"
    assert [m["status"] for m in queries.list_(uow(), me, {"status": "failed"})["items"]] == ["failed"]


def test_an_opted_out_number_is_refused_before_anything_is_sent_or_logged(uow, me, provider):
    out = use_cases.add_opt_out(uow(), me, {"phone": "13912345678", "reason": "勿扰"})
    assert out["id"] == out["phone"] == "13912345678"
    assert use_cases.add_opt_out(uow(), me, {"phone": "+8613912345678"})["reason"] == "勿扰"
    with pytest.raises(InvalidInput):
        send(uow, me, provider)
    assert provider.sent == [] and queries.list_(uow(), me, {})["items"] == []
    use_cases.remove_opt_out(uow(), me, "139-1234-5678")
    assert send(uow, me, provider)["status"] == "sent"
    with pytest.raises(NotFound):
        use_cases.remove_opt_out(uow(), me, "13912345678")


def test_opt_outs_belong_to_a_branch(uow, me, principal_factory):
    use_cases.add_opt_out(uow(), me, {"phone": "13912345678"})
    elsewhere = principal_factory(permissions=SMS, branch="BJ")
    assert queries.list_opt_outs(uow(), elsewhere, {})["items"] == []
    assert [o["phone"] for o in queries.list_opt_outs(uow(), me, {})["items"]] == ["13912345678"]


def test_the_log_is_scoped_to_the_sender(uow, me, provider, principal_factory):
    send(uow, me, provider)
    assert queries.list_(uow(), principal_factory(permissions=SMS, scope="own"), {})["items"] == []


def test_bad_numbers_and_bodies_are_refused(uow, me, provider):
    for phone, body in (("not a phone", "x"), ("13912345678", ""), ("13912345678", "长" * 501)):
        with pytest.raises(InvalidInput):
            send(uow, me, provider, phone, body)
    with pytest.raises(InvalidInput):
        use_cases.remove_opt_out(uow(), me, "nope")
    assert provider.sent == [] and queries.list_(uow(), me, {})["items"] == []


def test_each_action_needs_its_permission(uow, provider, principal_factory):
    reader = principal_factory(permissions={"sms.read"})
    with pytest.raises(Forbidden):
        send(uow, reader, provider)
    with pytest.raises(Forbidden):
        use_cases.add_opt_out(uow(), reader, {"phone": "13912345678"})
