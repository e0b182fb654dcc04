"""Field permissions as pure rules: the masks, the allow-list, the merge of several roles, and
shaping and write checks by a schema's plan."""
import pytest
from marshmallow import Schema, fields

from crm_common import field_policy as fp
from crm_common.errors import InvalidInput


def test_masks_keep_what_the_formats_show():
    assert fp.mask_phone("13812345678") == "138****5678"
    assert fp.mask_phone("021-88886666") == "021*****6666"
    assert fp.mask_phone("12345") == "***45"
    assert fp.mask_email("zhang.san@example.com") == "z***@example.com"
    assert fp.mask_email("not-an-address") == "****"
    assert fp.mask_id_number("11010519491231002X") == "110105********002X"
    assert fp.mask_amount("1234567.89") == "****"


def test_mask_goes_into_lists_and_small_objects_and_leaves_none():
    phones = [{"kind": "mobile", "number": "13812345678", "typed": "138 1234 5678"}]
    assert fp.mask("phone", phones) == [{"kind": "mobile", "number": "138****5678", "typed": "138******5678"}]
    assert fp.mask("amount", [{"due_date": "2026-01-01", "amount": "10.00"}]) == [
        {"due_date": "2026-01-01", "amount": "****"}]
    assert fp.mask("phone", None) is None and fp.mask("email", "") == ""


def test_rules_are_checked_against_the_allow_list():
    assert fp.validate_rules({"customer.phone": {"access": "read_only", "mask": "list"}}) == {}
    errors = fp.validate_rules({"customer.name": {"access": "hidden"}, "customer.notes": {"mask": "all"},
                                "order.total": {"access": "secret"}, "contract.amount": {"access": "hidden",
                                                                                       "x": 1}})
    assert set(errors) == {"customer.name", "customer.notes", "order.total", "contract.amount"}
    assert "masked" in errors["customer.notes"][0]


def test_catalogue_names_every_governed_field_once():
    keys = [item["key"] for item in fp.catalogue()]
    assert len(keys) == len(set(keys))
    for needed in ("customer.phone", "customer.email", "customer.id_number", "contact.mobile",
                   "opportunity.expected_amount", "order.total", "contract.amount"):
        assert needed in keys


def test_merge_of_several_roles_the_most_permissive_wins():
    strict = {"customer.phone": {"access": "hidden"}, "customer.email": {"access": "read_only", "mask": "all"},
              "order.total": {"access": "read_only", "mask": "all"}}
    milder = {"customer.phone": {"access": "read_only", "mask": "list"},
              "customer.email": {"access": "hidden"}, "order.total": {"access": "read_only", "mask": "list"}}
    merged = fp.merge([strict, milder])
    assert merged == {"customer.phone": {"access": "read_only", "mask": "list"},
                      "customer.email": {"access": "read_only", "mask": "all"},
                      "order.total": {"access": "read_only", "mask": "list"}}
    # a role that says nothing of a field leaves it editable and whole: it wins
    assert fp.merge([strict, {}]) == {}
    assert fp.merge([]) == {}
    assert fp.merge([{"customer.phone": {"access": "editable", "mask": "none"}}]) == {}


class _Line(Schema):
    field_resource = "order"
    amount = fields.String()
    product_name = fields.String()


class _Order(Schema):
    field_resource = "order"
    total = fields.String()
    number = fields.String()
    lines = fields.List(fields.Nested(_Line))


class _Plain(Schema):
    name = fields.String()


def test_a_schema_without_governed_fields_has_no_plan():
    assert fp.plan_of(_Plain) is None
    assert fp.plan_of(_Order) == ("order", {"total": "total"},
                                  {"lines": (("order", {"amount": "total"}, {}, {}), False)}, {})


class _Group(Schema):
    field_totals = {"expected_total": "opportunity.expected_amount"}
    key = fields.String()
    count = fields.Integer()
    expected_total = fields.String()


class _Forecast(Schema):
    items = fields.List(fields.Nested(_Group))
    totals = fields.Nested(_Group(exclude=("key",)))
    per_currency = fields.Dict(keys=fields.String(), values=fields.Nested(_Group))


class _Change(Schema):
    field_dicts = {"before": "contract"}
    before = fields.Dict()
    kind = fields.String()


def test_totals_follow_the_field_they_add_up_as_a_list_does_in_any_answer():
    plan = fp.plan_of(_Forecast)
    dumped = lambda: {"items": [{"key": "u1", "count": 2, "expected_total": "300.00"}],  # noqa: E731
                      "totals": {"count": 2, "expected_total": "300.00"},
                      "per_currency": {"CNY": {"key": "u1", "count": 2, "expected_total": "300.00"}}}
    in_lists = {"opportunity": {"expected_amount": ("read_only", "list")}}
    shaped = fp.shape(plan, in_lists, dumped(), listing=False)
    assert shaped["items"] == [{"key": "u1", "count": 2, "expected_total": "****"}]  # the count stays
    assert shaped["per_currency"]["CNY"]["expected_total"] == "****"
    assert shaped["totals"] == {"count": 2, "expected_total": "****"}  # a schema instance is walked too
    hidden = {"opportunity": {"expected_amount": ("hidden", "none")}}
    assert fp.shape(plan, hidden, dumped(), listing=False)["items"] == [{"key": "u1", "count": 2}]
    assert fp.hidden_keys(fp.plan_of(_Group), hidden) == {"expected_total"}
    assert fp.shape(plan, {"order": {"total": ("hidden", "none")}}, dumped(), listing=False) == dumped()


def test_a_free_form_object_is_shaped_by_its_resource_keys():
    change = {"kind": "amount", "before": {"amount": "100.00", "end_date": "2026-12-31"}}
    shaped = fp.shape(fp.plan_of(_Change), {"contract": {"amount": ("read_only", "all")}}, change, listing=False)
    assert shaped["before"] == {"amount": "****", "end_date": "2026-12-31"}
    rows = [{"owner_id": "u", "amount": "5.00"}]
    fp.shape_figures({"contract": {"amount": ("hidden", "none")}}, rows, {"amount": "contract.amount"})
    assert rows == [{"owner_id": "u"}]


def test_shape_hides_and_masks_by_list_or_everywhere():
    plan = fp.plan_of(_Order)
    dumped = lambda: {"total": "99.00", "number": "SO-1", "lines": [{"amount": "99.00", "product_name": "x"}]}  # noqa: E731
    hidden = fp.by_resource({"order.total": {"access": "hidden", "mask": "none"}})
    assert fp.shape(plan, hidden, dumped(), listing=False) == {"number": "SO-1", "lines": [{"product_name": "x"}]}
    in_lists = fp.by_resource({"order.total": {"access": "read_only", "mask": "list"}})
    assert fp.shape(plan, in_lists, dumped(), listing=False)["total"] == "99.00"
    assert fp.shape(plan, in_lists, [dumped()], listing=True)[0]["total"] == "****"
    everywhere = fp.by_resource({"order.total": {"access": "editable", "mask": "all"}})
    assert fp.shape(plan, everywhere, dumped(), listing=False)["lines"][0]["amount"] == "****"


def test_writes_of_hidden_read_only_or_masked_fields_are_refused_by_name():
    policy = fp.by_resource({"customer.phone": {"access": "read_only", "mask": "none"},
                             "customer.notes": {"access": "hidden", "mask": "none"},
                             "customer.email": {"access": "editable", "mask": "all"},
                             "customer.id_number": {"access": "editable", "mask": "list"}})
    errors = fp.refused_writes("customer", policy, {"phones": [], "notes": "x", "email": "a@b.cn", "name": "n",
                                                    "id_number": "110105********002X"})
    assert set(errors) == {"phones", "notes", "email", "id_number"}
    assert fp.refused_writes("customer", policy, {"name": "n", "id_number": "11010519491231002X"}) == {}
    with pytest.raises(InvalidInput) as caught:
        fp.check_write("customer", policy, {"phone": "13812345678"})
    assert caught.value.errors == {"phone": ["This field is read-only for your role."]}


def test_a_list_cannot_be_filtered_grouped_or_sorted_by_a_hidden_field():
    policy = fp.by_resource({"customer.phone": {"access": "hidden", "mask": "none"},
                             "customer.source": {"access": "hidden", "mask": "none"},
                             "customer.email": {"access": "read_only", "mask": "all"}})
    assert set(fp.refused_filters("customer", policy, {"phone": "138", "by": "source", "name": "x"})) == {
        "phone", "by"}
    assert fp.refused_filters("customer", policy, {"name": "x", "by": "month", "email": "a"}) == {}
    with pytest.raises(InvalidInput):
        fp.check_filters("customer", policy, {"sort": "-source"})
