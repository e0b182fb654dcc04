"""From marshmallow schemas to the JSON Schema the OpenAPI document publishes."""
import json

import pytest
from marshmallow import Schema, fields, validate

from crm_common.api_contract import Contract, api, contracts_of, describe
from crm_common.pagination import ListQuery
from crm_common.validation import StrictSchema, money_in


class LineIn(StrictSchema):
    quantity = fields.Integer(required=True, validate=validate.Range(1, 10))


class ThingIn(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=20))
    price = money_in(required=True)
    lines = fields.List(fields.Nested(LineIn), required=True)


class ThingOut(Schema):
    id = fields.String()
    price = fields.Decimal(as_string=True)
    owner = fields.Nested(LineIn)


class ThingQuery(ListQuery):
    name = fields.String()


class Service:
    @api(body=ThingIn, returns=ThingOut)
    def create_thing(self, payload): ...

    @api(body=ThingIn, partial=True, returns=ThingOut)
    def update_thing(self, thing_id, payload): ...

    @api(query=ThingQuery, returns=ThingOut, page=True)
    def list_things(self, query): ...

    def ping(self): ...


def test_only_marked_entrypoints_have_contracts():
    assert set(contracts_of(Service)) == {"create_thing", "update_thing", "list_things"}
    assert contracts_of(Service)["list_things"] == Contract(query=ThingQuery, returns=ThingOut, page=True)


def test_request_schemas_are_closed_and_required_fields_survive():
    described = describe("things", contracts_of(Service))
    body = described["schemas"]["things.ThingIn"]
    assert sorted(body["required"]) == ["lines", "name", "price"]
    assert body["additionalProperties"] is False
    assert body["properties"]["price"]["type"] == ["string", "number"]  # "12.50" or 12.5
    assert body["properties"]["price"]["minimum"] == 0 and body["properties"]["price"]["maximum"] == 10 ** 16
    assert body["properties"]["lines"]["items"] == {"$ref": "#/components/schemas/things.LineIn"}
    assert described["operations"]["create_thing"]["body"] == {"$ref": "#/components/schemas/things.ThingIn"}


def test_decimal_bounds_are_json_numbers_and_keep_their_exclusiveness():
    price = describe("things", contracts_of(Service))["schemas"]["things.ThingIn"]["properties"]["price"]
    assert price == {"type": ["string", "number"], "minimum": 0, "maximum": 10**16, "exclusiveMaximum": 10**16}


def test_patch_bodies_require_nothing():
    described = describe("things", contracts_of(Service))
    assert described["operations"]["update_thing"]["body"] == {"$ref": "#/components/schemas/things.ThingInPatch"}
    patch = described["schemas"]["things.ThingInPatch"]
    assert "required" not in patch and patch["properties"] == described["schemas"]["things.ThingIn"]["properties"]


def test_the_description_is_plain_json():
    """It travels as an RPC answer and is published as is: bounds of money fields are numbers."""
    described = describe("things", contracts_of(Service))
    assert json.loads(json.dumps(described)) == described


def test_answers_may_be_null_and_decimals_are_strings():
    out = describe("things", contracts_of(Service))["schemas"]["things.ThingOut"]
    assert out["properties"]["price"]["type"] == ["string", "null"]
    assert out["properties"]["owner"] == {"anyOf": [{"$ref": "#/components/schemas/things.LineIn"},
                                                    {"type": "null"}]}
    assert "additionalProperties" not in out


def test_lists_are_pages_with_their_query_parameters():
    listed = describe("things", contracts_of(Service))["operations"]["list_things"]
    assert {p["name"] for p in listed["query"]} == {"limit", "cursor", "sort", "name"}
    assert all(p["in"] == "query" for p in listed["query"])
    assert listed["returns"]["properties"]["items"]["items"] == {"$ref": "#/components/schemas/things.ThingOut"}


def test_two_schemas_of_one_name_are_refused_rather_than_confused():
    other = type("ThingOut", (Schema,), {"colour": fields.String()})

    class Clashing:
        @api(returns=ThingOut)
        def get_thing(self, thing_id): ...

        @api(returns=other)
        def get_other_thing(self, thing_id): ...

    with pytest.raises(ValueError, match="things.ThingOut"):
        describe("things", contracts_of(Clashing))
