"""FastDump answers exactly what marshmallow's own Schema._serialize answers, for a schema with
every kind of field and for every output schema of the services that uses it."""
import importlib
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

import pytest
from marshmallow import Schema, fields, post_dump

from crm_common.dumping import FastDump

SERVICE_SCHEMAS = ["crm_customers.aftersales.schemas", "crm_customers.contacts.schemas",
                   "crm_customers.customers.schemas", "crm_customers.interactions.schemas",
                   "crm_customers.relations.schemas", "crm_customers.profile.schemas",
                   "crm_customers.pool.schemas", "crm_customers.workbench.schemas", "crm_sales.orders.schemas"]
SHANGHAI = timezone(timedelta(hours=8))


class Moment(datetime):
    """Not exactly a datetime: takes the field's own path."""


class Inner(FastDump):
    code = fields.String()
    at = fields.DateTime()


class Everything(FastDump):
    text = fields.String()
    number = fields.Integer()
    number_text = fields.Integer(as_string=True)
    flag = fields.Boolean()
    strict_flag = fields.Boolean(truthy={"yes"}, falsy={"no"})
    at = fields.DateTime()
    at_rfc = fields.DateTime(format="rfc")
    aware = fields.AwareDateTime(default_timezone=timezone.utc)
    day = fields.Date()
    money = fields.Decimal(as_string=True)
    ratio = fields.Float()
    key = fields.UUID()
    data = fields.Dict()
    typed = fields.Dict(keys=fields.String(), values=fields.Integer())
    tags = fields.List(fields.String())
    renamed = fields.String(data_key="shown_as")
    elsewhere = fields.String(attribute="source_attr")
    dotted = fields.String(attribute="inner.code")
    defaulted = fields.String(dump_default="fallback")
    child = fields.Nested(Inner)
    children = fields.List(fields.Nested(Inner))
    constant = fields.Constant("always")
    computed = fields.Method("compute")

    def compute(self, obj):
        return "computed"


class WithHook(FastDump):
    text = fields.String()

    @post_dump
    def shout(self, data, **kwargs):
        return {k: v.upper() if isinstance(v, str) else v for k, v in data.items()}


def _full():
    inner = SimpleNamespace(code="内部", at=datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=SHANGHAI))
    return dict(text="天马", number=7, number_text=8, flag=True, strict_flag="yes", at=datetime(2026, 12, 1, tzinfo=timezone.utc),
                at_rfc=datetime(2026, 12, 1, 8, tzinfo=SHANGHAI), aware=datetime(2026, 12, 1, 8), day=date(2026, 2, 3),
                money=Decimal("12.50"), ratio=1.5, key=uuid.UUID(int=5), data={"a": [1, 2]}, typed={"x": "3"},
                tags=["a", "b"], renamed="r", source_attr="s", inner=inner, defaulted="given", child=inner,
                children=[inner, inner])


def _variants():
    full = _full()
    odd = {**full, "text": 12, "number": 3.9, "flag": 1, "tags": ("x", 2), "at": Moment(2026, 1, 1, tzinfo=SHANGHAI), "renamed": b"bytes"}
    nones = {key: None for key in full} | {"inner": SimpleNamespace(code=None)}
    sparse = {"text": "only"}
    for values in (full, odd, nones, sparse):
        yield SimpleNamespace(**values)
        yield dict(values)


@pytest.mark.parametrize("obj", list(_variants()), ids=lambda o: type(o).__name__)
def test_every_kind_of_field_dumps_as_marshmallow_does(obj):
    schema = Everything()
    assert schema.dump(obj) == Schema._serialize(schema, obj)
    assert Everything(many=True).dump([obj, obj]) == Schema._serialize(schema, [obj, obj], many=True)
    assert Everything(only=("text", "child")).dump(obj) == Schema._serialize(Everything(only=("text", "child")), obj)


def test_hooks_still_run():
    assert WithHook().dump({"text": "abc"}) == {"text": "ABC"}


def _all_fast_schemas():
    for module in SERVICE_SCHEMAS:
        importlib.import_module(module)
    found, todo = set(), [FastDump]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return sorted((s for s in found if s.__module__.startswith("crm_")), key=lambda s: s.__qualname__)


def _sample(field, depth=0):
    """A value of the type the field's attribute holds on a model."""
    if isinstance(field, fields.Nested):
        schema = field.schema
        one = _object(schema, depth + 1) if depth < 2 else None
        return [one, one] if (schema.many or field.many) else one
    if isinstance(field, fields.List):
        return [_sample(field.inner, depth), _sample(field.inner, depth)]
    return {fields.String: "值", fields.Integer: 42, fields.Boolean: False, fields.Float: 2.25,
            fields.DateTime: datetime(2026, 12, 1, 20, 30, 1, 12, tzinfo=SHANGHAI), fields.Date: date(2026, 12, 1),
            fields.Decimal: Decimal("1234.50"), fields.Dict: {"k": ["v", 1]}, fields.UUID: uuid.UUID(int=9),
            fields.AwareDateTime: datetime(2026, 12, 1, tzinfo=timezone.utc)}.get(type(field), "其他")


def _object(schema, depth=0):
    return SimpleNamespace(**{(f.attribute or name): _sample(f, depth) for name, f in schema.dump_fields.items()})


@pytest.mark.parametrize("schema_class", _all_fast_schemas(), ids=lambda s: s.__qualname__)
def test_service_output_schemas_dump_as_marshmallow_does(schema_class):
    schema = schema_class()
    full = _object(schema)
    nones = SimpleNamespace(**{k: None for k in vars(full)})
    for obj in (full, nones, SimpleNamespace(), dict(vars(full))):
        assert schema.dump(obj) == Schema._serialize(schema, obj)


@pytest.mark.parametrize("obj", list(_variants()), ids=lambda o: type(o).__name__)
def test_keys_come_in_marshmallows_order(obj):
    # the gateway passes a list's JSON on as the service wrote it: the order of the keys is in its bytes
    schema = Everything()
    assert list(schema.dump(obj)) == list(Schema._serialize(schema, obj))


@pytest.mark.parametrize("schema_class", _all_fast_schemas(), ids=lambda s: s.__qualname__)
def test_service_output_schemas_keep_marshmallows_key_order(schema_class):
    schema = schema_class()
    full = _object(schema)
    for obj in (full, dict(vars(full))):
        assert list(schema.dump(obj)) == list(Schema._serialize(schema, obj))
