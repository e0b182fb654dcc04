"""Field permissions (字段权限) through the service's own entrypoints, as the broker would call them:
the rpc entrypoint shapes answers and checks writes by the caller's rules (crm_common.field_policy)."""
from types import SimpleNamespace

import pytest

from crm_common.errors import InvalidInput
from crm_customers.service import CustomersService

READ_WRITE = {"customers.read", "customers.write", "customers.export"}
RULES = {"customer.phone": {"access": "read_only", "mask": "list"},
         "customer.email": {"access": "read_only", "mask": "all"},
         "customer.notes": {"access": "hidden", "mask": "none"},
         "contact.mobile": {"access": "editable", "mask": "list"}}


def _service(uow, principal):
    """The entrypoints bound to a worker of this caller (what Nameko injects: uow and principal)."""
    return SimpleNamespace(uow=uow, principal=principal)


def _call(uow, principal, method, *args):
    return getattr(CustomersService, method)(_service(uow, principal), *args)


@pytest.fixture
def restricted(principal_factory, rep):
    """The rep's own user, with the rules of a role that restricts some of the customer's fields."""
    return principal_factory(permissions=READ_WRITE, scope="own", user_id=rep.user_id, fields=RULES)


@pytest.fixture
def record(new_customer, uow, rep):
    created = new_customer(phone="13812345678", email="zhang.san@example.com", notes="只给经理看")
    _call(uow, rep, "create_contact", created["id"], {"name": "王五", "mobile": "13987654321"})
    return created


def test_lists_mask_and_hide_the_detail_shows_what_is_only_masked_in_lists(uow, restricted, record):
    row = _call(uow, restricted, "list_customers", {})["items"][0]
    assert row["phone"] == "138****5678" and row["email"] == "z***@example.com"
    assert all(phone["number"].startswith("138****") for phone in row["phones"])
    assert "notes" not in row
    detail = _call(uow, restricted, "get_customer", record["id"])
    assert detail["phone"] == "13812345678"  # masked in lists only
    assert detail["email"] == "z***@example.com"  # masked everywhere
    assert "notes" not in detail
    assert detail["contacts"][0]["mobile"] == "13987654321"  # a contact's mobile: in lists only


def test_the_export_masks_and_leaves_hidden_columns_out(uow, restricted, record):
    page = _call(uow, restricted, "export_customers", {})
    keys = [column["key"] for column in page["columns"]]
    assert "notes" not in keys
    row = dict(zip(keys, page["rows"][0], strict=True))
    assert row["phone"] == "138****5678" and row["email"] == "z***@example.com"
    contacts = _call(uow, restricted, "export_contacts", {})
    mobile = [column["key"] for column in contacts["columns"]].index("mobile")
    assert contacts["rows"][0][mobile] == "139****4321"


def test_a_write_of_a_read_only_or_hidden_field_is_refused_by_name_and_changes_nothing(uow, rep, restricted,
                                                                                       record):
    for body, field in (({"phone": "13900001111"}, "phone"), ({"notes": "改"}, "notes"),
                        ({"email": "li.si@example.com", "name": "新名字"}, "email")):
        with pytest.raises(InvalidInput) as refused:
            _call(uow, restricted, "update_customer", record["id"], body, None)
        assert field in refused.value.errors
    unchanged = _call(uow, rep, "get_customer", record["id"])  # as the rep without rules sees it
    assert (unchanged["name"], unchanged["phone"], unchanged["email"], unchanged["notes"]) == (
        record["name"], "13812345678", "zhang.san@example.com", "只给经理看")
    # what the role may change still goes through
    assert _call(uow, restricted, "update_customer", record["id"], {"industry": "贸易"}, None)["industry"] == "贸易"


def test_a_caller_without_rules_sees_everything(uow, rep, record):
    row = _call(uow, rep, "list_customers", {})["items"][0]
    assert (row["phone"], row["email"], row["notes"]) == ("13812345678", "zhang.san@example.com", "只给经理看")


def test_a_list_or_its_statistics_cannot_filter_or_group_by_a_hidden_field(uow, principal_factory, rep, record):
    hiding = principal_factory(permissions=READ_WRITE, scope="own", user_id=rep.user_id,
                               fields={"customer.phone": {"access": "hidden", "mask": "none"},
                                       "customer.source": {"access": "hidden", "mask": "none"}})
    with pytest.raises(InvalidInput) as refused:
        _call(uow, hiding, "list_customers", {"phone": "13812345678"})
    assert "phone" in refused.value.errors
    with pytest.raises(InvalidInput) as refused:
        _call(uow, hiding, "customer_statistics", {"by": "source"})
    assert "by" in refused.value.errors
    row = _call(uow, hiding, "list_customers", {"name": record["name"]})["items"][0]
    assert "phone" not in row and "phones" not in row and "source" not in row
