"""What clients send and get for CSV import and export, and the validation of an imported row
(CUS-12). No database access here.

Columns: `code` (optional; upsert key), the fields of CustomerIn (`tags` separated by '|'),
and custom fields as `cf.<key>` (multi-select values separated by '|').
"""
import csv
import io

from marshmallow import Schema, ValidationError, fields, validate

from crm_common.exports import ExportFormat
from crm_common.validation import StrictSchema
from crm_customers.contacts.models import DECISION_ROLES
from crm_customers.customers.rules import birth_date, identity_errors
from crm_customers.customers.schemas import CustomerFilters, CustomerIn
from crm_customers.interactions.models import INTERACTION_KINDS
from crm_customers.exchange.rules import IGNORED, column_key
from crm_customers.fields.rules import validate_values


class ImportIn(StrictSchema):
    dry_run = fields.Boolean(load_default=False)
    all_or_nothing = fields.Boolean(load_default=False)


class ImportChunkIn(StrictSchema):
    first_row = fields.Integer(required=True, validate=validate.Range(1, 10_000_000))
    csv = fields.String(required=True, validate=validate.Length(min=1, max=900_000))


class CustomerExportQuery(CustomerFilters, ExportFormat):
    """The customer list's filters (custom fields too: `cf.<key>`) and the file's format."""


class ContactExportQuery(ExportFormat):
    """Contacts of every customer the caller sees, or of one."""
    customer_id = fields.UUID()
    name = fields.String(validate=validate.Length(min=1, max=100))
    is_key_member = fields.Boolean()
    decision_role = fields.String(validate=validate.OneOf(DECISION_ROLES))


class InteractionExportQuery(ExportFormat):
    """Follow-ups and visit reports of every customer the caller sees; `since`/`until` are the
    branch's calendar days of `occurred_at`, both included."""
    customer_id = fields.UUID()
    kind = fields.String(validate=validate.OneOf(INTERACTION_KINDS))
    author_id = fields.UUID()
    since = fields.Date()
    until = fields.Date()


class ImportColumnsOut(Schema):
    headers = fields.List(fields.String())


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
    # the 客户群 column: a group's path as the tree spells it, resolved to its `group_id`
    group_path = fields.String(validate=lambda v: 0 < len(v) <= 300)

    class Meta(CustomerIn.Meta):
        exclude = ("phones",)


_SCHEMA = ImportRow()
KNOWN = set(_SCHEMA.fields) - {"custom"}


def check_header(body: str, definitions: dict) -> list[str]:
    header = next(csv.reader(io.StringIO(body)), [])
    keys = [(h, column_key(h)) for h in header]
    return [h for h, key in keys if key != IGNORED and key not in KNOWN and not
            (key.startswith("cf.") and key[3:] in definitions)]


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
    if data is not None:  # the identifier rules of create (customers.use_cases.check_identity)
        errors.update(identity_errors(data["kind"], data))
    if errors:
        return None, errors
    if data.get("id_number") and not data.get("birthday"):
        data["birthday"] = birth_date(data["id_number"])
    data["custom"] = custom
    return data, {}
