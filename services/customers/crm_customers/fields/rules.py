"""Typed custom fields (CUS-10): validate values against their definitions. Pure functions."""
from datetime import date
from decimal import Decimal, InvalidOperation

FIELD_TYPES = ("text", "number", "date", "select", "multi_select")


def _text(value, definition):
    if not isinstance(value, str) or len(value) > 500:
        raise ValueError("Must be a string of at most 500 characters.")
    return value


def _number(value, definition):
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("Must be a number.")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError("Must be a number.") from None
    if not number.is_finite() or abs(number) >= Decimal("1e15"):
        raise ValueError("Must be a finite number below 1e15.")
    # stored as a JSON number so that filters and sorts compare numerically
    return int(number) if number == number.to_integral_value() else float(number)


def _date(value, definition):
    try:
        return date.fromisoformat(value).isoformat()
    except (TypeError, ValueError):
        raise ValueError("Must be a date (YYYY-MM-DD).") from None


def _select(value, definition):
    if value not in definition["options"]:
        raise ValueError(f"Must be one of: {', '.join(map(str, definition['options']))}.")
    return value


def _multi_select(value, definition):
    if not isinstance(value, list) or any(v not in definition["options"] for v in value):
        raise ValueError(f"Must be a list of: {', '.join(map(str, definition['options']))}.")
    return sorted(set(value), key=value.index)


CHECKS = {"text": _text, "number": _number, "date": _date, "select": _select, "multi_select": _multi_select}


def validate_values(values: dict, definitions: dict, *, partial: bool) -> tuple[dict, dict]:
    """(clean values, errors by key). `definitions` maps key → {type, options, required}."""
    clean, errors = {}, {}
    for key, value in values.items():
        definition = definitions.get(key)
        if definition is None:
            errors[key] = ["Unknown custom field."]
        elif value is None:
            if definition["required"]:
                errors[key] = ["This field is required."]
            else:
                clean[key] = None
        else:
            try:
                clean[key] = CHECKS[definition["type"]](value, definition)
            except ValueError as exc:
                errors[key] = [str(exc)]
    if not partial:
        for key, definition in definitions.items():
            if definition["required"] and key not in values:
                errors[key] = ["This field is required."]
    return clean, errors


def parse_filter(raw: str, definition: dict):
    """A query-string value for an equality/containment filter on a custom field."""
    kind = definition["type"]
    if kind == "multi_select":
        return _select(raw, definition)
    return CHECKS[kind](raw, definition)
