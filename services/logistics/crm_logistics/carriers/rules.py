"""Carrier rules. Pure."""


def rates_as_stored(data: dict) -> dict:
    """Rates live in JSONB: prices are stored as decimal strings, never floats."""
    if "rates" in data:
        data["rates"] = [{**rate, "price": str(rate["price"])} for rate in data["rates"]]
    return data
