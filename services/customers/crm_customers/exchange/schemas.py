"""What clients send and get for CSV import and export, and the validation of an imported row
(CUS-12). No database access here.

Columns: `code` (optional; upsert key), the fields of CustomerIn (`tags` separated by '|'),
and custom fields as `cf.<key>` (multi-select values separated by '|').
"""
import csv
import io

from marshmallow import Schema, ValidationError, fields, validate

from crm_common.validation import StrictSchema
from crm_customers.customers.schemas import CustomerIn
from crm_customers.fields.rules import validate_values


class ImportIn(StrictSchema):
    dry_run = fields.Boolean(load_default=False)
    all_or_nothing = fields.Boolean(load_default=False)


class ImportChunkIn(StrictSchema):
    first_row = fields.Integer(required=True, validate=validate.Range(1, 10_000_000))
    csv = fields.String(required=True, validate=validate.Length(min=1, max=900_000))


class ExportOut(Schema):
    csv = fields.String()
    count = fields.Integer()
    truncated = fields.Boolean()  # more customers matched than one export holds


class ImportRowErrorOut(Schema):
    row = fields.Integer()
    errors = fields.Dict()


class ImportJobOut(Schema):
    id = fields.String()
    status = fields.String()
    dry_run = fields.Boolean()
    all_or_nothing = fields.Boolean()
    total = fields.Integer()
    processed = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    error_count = fields.Integer()
    errors = fields.List(fields.Nested(ImportRowErrorOut))
    finished_at = fields.DateTime()


class ImportRow(CustomerIn):
    """One CSV row: plain columns only (several phones do not fit one cell)."""
    code = fields.String(validate=lambda v: 0 < len(v) <= 40)

    class Meta(CustomerIn.Meta):
        exclude = ("phones",)


_SCHEMA = ImportRow()
KNOWN = set(_SCHEMA.fields) - {"custom"}


def check_header(body: str, definitions: dict) -> list[str]:
    header = next(csv.reader(io.StringIO(body)), [])
    unknown = [h for h in header if h.strip() not in KNOWN and not
               (h.startswith("cf.") and h[3:] in definitions)]
    return unknown


def parse(cells: dict, definitions: dict) -> tuple[dict | None, dict]:
    """(clean data, errors) for one row."""
    if "__extra__" in cells:
        return None, {"_row": ["More cells than columns."]}
    plain = {k: v for k, v in cells.items() if not k.startswith("cf.")}
    if "tags" in plain:
        plain["tags"] = [t for t in plain["tags"].split("|") if t]
    custom_raw = {}
    for key, value in cells.items():
        if key.startswith("cf."):
            definition = definitions.get(key[3:])
            custom_raw[key[3:]] = value.split("|") if definition and definition["type"] == "multi_select" else value
    errors = {}
    try:
        data = _SCHEMA.load(plain)
    except ValidationError as exc:
        data, errors = None, dict(exc.messages)
    custom, custom_errors = validate_values(custom_raw, definitions, partial=False)
    if custom_errors:
        errors["custom"] = custom_errors
    if errors:
        return None, errors
    data["custom"] = custom
    return data, {}
