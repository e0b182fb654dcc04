"""Marshmallow fields the schemas of every finance area share."""
from marshmallow import fields, validate

CurrencyIn = lambda **kw: fields.String(validate=validate.Regexp(r"^[A-Z]{3}$"), **kw)  # noqa: E731
# fixed scale on output, so an echo of the client's "1000" reads "1000.00" like a stored value
Amount = lambda **kw: fields.Decimal(as_string=True, places=2, **kw)  # noqa: E731
