"""Field helpers the areas' marshmallow schemas share, so every boundary says "blank" the same way."""
from marshmallow import ValidationError, fields, validate


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Must not be blank.")


def title_field(max_length=200, **kwargs):
    return fields.String(validate=[validate.Length(min=1, max=max_length), not_blank], **kwargs)


def instant(**kwargs):
    """An aware date-time (StrictSchema keeps it within years 1 to 9999 in UTC)."""
    return fields.AwareDateTime(**kwargs)
