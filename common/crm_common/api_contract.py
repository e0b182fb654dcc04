"""What each public RPC takes and answers, named by the marshmallow schemas its use case loads and dumps.

Entrypoints carry their contract (`@api(body=OrderIn, returns=OrderOut)`); `describe` turns the
contracts of a service into JSON Schema, and the gateway assembles them into the OpenAPI document.
The schemas are the very classes that validate requests, so the document cannot promise a field the
service would refuse.
"""
from dataclasses import dataclass
from decimal import Decimal

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema, fields, validate

from crm_common.validation import StrictSchema

OPENAPI_VERSION = "3.1.0"


@dataclass(frozen=True)
class Contract:
    body: type[Schema] | None = None  # the JSON body, loaded with partial=True when `partial`
    query: type[Schema] | None = None  # the query string
    # the answer: one object, a page of them, or a list; "service.method" for a gateway route
    # that passes on what that RPC answers
    returns: type[Schema] | str | None = None
    page: bool = False  # {"items": [returns], "next_cursor": ...}
    many: bool = False  # [returns]
    partial: bool = False
    media_type: str = "application/json"  # of the answer; files and calendars are not JSON
    raw_body: bool = False  # the body is a file's bytes, not JSON


def api(**kwargs):
    contract = Contract(**kwargs)

    def mark(fn):
        fn.__api_contract__ = contract
        return fn
    return mark


def contracts_of(cls) -> dict[str, Contract]:
    return {name: member.__api_contract__ for name in dir(cls)
            if (member := getattr(cls, name, None)) is not None and hasattr(member, "__api_contract__")}


def _json_number(value):
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _decimal_as_json(self, field, ret, **kwargs) -> dict:
    # apispec calls every Decimal a number; ours leave as strings ("12.50", never a float) and
    # arrive as either.
    if not isinstance(field, fields.Decimal):
        return {}
    described = {"type": "string"} if field.as_string else {"type": ["string", "number"]}
    # apispec writes a Range's bounds as the field serialises them (a Decimal, which crosses the RPC
    # as {"__type__": "decimal"}, or a string): no JSON Schema number; and it ignores exclusivity.
    for validator in field.validators:
        if isinstance(validator, validate.Range):
            for bound, inclusive, name in ((validator.min, validator.min_inclusive, "Minimum"),
                                           (validator.max, validator.max_inclusive, "Maximum")):
                if bound is not None:
                    described[name.lower()] = _json_number(bound)
                    if not inclusive:
                        described[f"exclusive{name}"] = _json_number(bound)
    if isinstance(ret.get("default"), Decimal):
        described["default"] = str(ret["default"])
    return described


def _nullable(prop: dict) -> dict:
    if isinstance(prop.get("type"), str):
        return {**prop, "type": [prop["type"], "null"]}
    if isinstance(prop.get("type"), list):
        return prop if "null" in prop["type"] else {**prop, "type": [*prop["type"], "null"]}
    if "$ref" in prop or "allOf" in prop:
        return {"anyOf": [prop, {"type": "null"}]}
    return prop


class _Converter:
    """apispec, with component names prefixed by the service so services cannot collide."""

    def __init__(self, prefix: str):
        self.prefix, self.classes = prefix, {}
        self.plugin = MarshmallowPlugin(schema_name_resolver=self.name_of)
        self.spec = APISpec(title=prefix, version="1", openapi_version=OPENAPI_VERSION, plugins=[self.plugin])
        self.plugin.converter.add_attribute_function(_decimal_as_json)

    def name_of(self, schema) -> str:
        cls = schema if isinstance(schema, type) else type(schema)
        name = f"{self.prefix}.{cls.__name__}"
        known = self.classes.setdefault(name, cls)
        if known is not cls:  # one name, two shapes: the document would describe one of them twice
            raise ValueError(f"{known.__module__}.{known.__name__} and {cls.__module__}.{cls.__name__} "
                             f"are both published as {name}: rename one")
        return name

    def ref(self, cls: type[Schema], partial: bool = False) -> dict:
        name = self.name_of(cls)
        schemas = self.spec.components.schemas
        if name not in schemas:
            self.spec.components.schema(name, schema=cls)
        if partial:  # PATCH bodies carry only the fields that change
            name += "Patch"
            schemas[name] = {key: value for key, value in schemas[name.removesuffix("Patch")].items()
                             if key != "required"}
        return {"$ref": f"#/components/schemas/{name}"}

    def parameters(self, cls: type[Schema]) -> list[dict]:
        return self.plugin.converter.schema2parameters(cls, location="query")

    def components(self) -> dict:
        """Answers dump every declared field, None included: output properties may be null."""
        out = {}
        for name, component in self.spec.to_dict().get("components", {}).get("schemas", {}).items():
            cls = self.classes.get(name.removesuffix("Patch"))
            if cls is not None and not issubclass(cls, StrictSchema):
                # an answer may gain fields; only requests are closed to unknown ones
                component = {key: value for key, value in component.items() if key != "additionalProperties"}
                component = {**component, "properties": {
                    key: _nullable(prop) for key, prop in component.get("properties", {}).items()}}
            out[name] = component
        return out


def _answer(converter: _Converter, contract: Contract) -> dict | None:
    if contract.returns is None or isinstance(contract.returns, str):
        return None
    one = converter.ref(contract.returns)
    if contract.page:
        return {"type": "object", "required": ["items"], "properties": {
            "items": {"type": "array", "items": one}, "next_cursor": {"type": ["string", "null"]}}}
    if contract.many:
        return {"type": "array", "items": one}
    return one


def describe(prefix: str, contracts: dict[str, Contract]) -> dict:
    """JSON-serialisable: {"operations": {name: {body, query, returns, media_type}}, "schemas": {...}}."""
    converter = _Converter(prefix)
    operations = {}
    for name, contract in sorted(contracts.items()):
        operations[name] = {
            "body": converter.ref(contract.body, contract.partial) if contract.body else None,
            "query": converter.parameters(contract.query) if contract.query else [],
            "returns": _answer(converter, contract),
            "media_type": contract.media_type,
            "raw_body": contract.raw_body,
        }
    return {"operations": operations, "schemas": converter.components()}
