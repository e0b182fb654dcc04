"""Parse and validate CSV rows of a customer import (CUS-12). No database access here.

Columns: `code` (optional; upsert key), the fields of CustomerIn (`tags` separated by '|'),
and custom fields as `cf.<key>` (multi-select values separated by '|').
"""
import csv
import io

from marshmallow import ValidationError, fields

from crm_customers.custom_field_rules import validate_values
from crm_customers.schemas import CustomerIn


class ImportRow(CustomerIn):
    code = fields.String(validate=lambda v: 0 < len(v) <= 40)


_SCHEMA = ImportRow()
KNOWN = set(_SCHEMA.fields) - {"custom"}


def read_chunk(body: str, first_row: int):
    """Yield (row number, dict of non-empty cells) for each data line of one CSV chunk."""
    reader = csv.DictReader(io.StringIO(body))
    for offset, raw in enumerate(reader):
        number = first_row + offset
        if None in raw:  # more cells than headers
            yield number, {"__extra__": raw.pop(None)}
            continue
        yield number, {k.strip(): v.strip() for k, v in raw.items() if k and v is not None and v.strip() != ""}


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
