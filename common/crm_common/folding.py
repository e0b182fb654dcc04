"""Several small lists read in the statement of the record they hang off.

A detail view that reads its record and then each list with a query of its own pays a round
trip, a statement preparation and an ORM hydration per list. `json_list` makes a list a
correlated sub-select aggregated to JSON text inside the record's statement; `rows` reads that
text back into dicts whose values have the Python types the ORM would have given (datetimes,
dates, exact decimals), so the marshmallow schemas dump them exactly as they dump model objects.
"""
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from sqlalchemy import Date, DateTime, Float, Numeric, Text, cast, func, inspect, literal_column, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from crm_common import json_values


def attributes(model) -> list:
    """(attribute name, column) of every mapped column."""
    return [(attr.key, attr.columns[0]) for attr in inspect(model).column_attrs]


def json_list(model, *where, order_by=(), limit: int | None = None, correlate=None):
    """A scalar sub-select: the matching rows of `model` as JSON text (NULL when none), in order.
    `correlate` names the outer statement's entity that `where` refers to."""
    mapped = attributes(model)
    inner = select(*(column for _, column in mapped),
                   func.row_number().over(order_by=order_by or None).label("_n")).where(*where)
    if order_by:
        inner = inner.order_by(*order_by)
    if limit is not None:
        inner = inner.limit(limit)
    if correlate is not None:
        inner = inner.correlate(correlate)
    sub = inner.subquery()
    pairs = []
    for key, column in mapped:
        value = sub.c[column.key]
        if isinstance(column.type, Numeric) and not isinstance(column.type, Float):
            value = cast(value, Text)  # JSON numbers would become floats: read the exact text
        pairs += [literal_column(f"'{key}'"), value]
    aggregate = func.json_agg(aggregate_order_by(func.json_build_object(*pairs), sub.c._n))
    return select(cast(aggregate, Text)).scalar_subquery()


@cache
def _converters(model) -> tuple:
    out = []
    for key, column in attributes(model):
        kind = column.type
        if isinstance(kind, DateTime):
            out.append((key, datetime.fromisoformat))
        elif isinstance(kind, Date):
            out.append((key, date.fromisoformat))
        elif isinstance(kind, Numeric) and not isinstance(kind, Float):
            out.append((key, Decimal))
    return tuple(out)


def rows(model, raw: str | None) -> list[dict]:
    """The dicts of a `json_list` column, typed like the model's attributes."""
    if not raw:
        return []
    items = json_values.loads(raw)
    converters = _converters(model)
    for item in items:
        for key, convert in converters:
            value = item[key]
            if value is not None:
                item[key] = convert(value)
    return items
