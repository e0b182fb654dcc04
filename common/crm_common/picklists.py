"""Pick-list fields (ADM-06): which fields of a record take a code of which dictionary kind.

The dictionary lives in the gateway (`dictionary_entries`), which passes the active codes of
these kinds along with every write that carries pick-list fields (`Route.picks`); services check
the values against them here. A value is the entry's code, never its label, so statistics
group by code and a typo or a second spelling cannot open a bucket of its own.

Value levels (价值等级) are the codes of the kind `value_level` (seeded a, b, c, d in the
gateway's migration 0005); recycle rules (pools) name them too, or `*` for every level.
"""
from crm_common.errors import InvalidInput

# field of a customer → dictionary kind
CUSTOMER_FIELDS = {"industry": "industry", "source": "customer_source", "value_level": "value_level"}
KINDS = tuple(sorted(set(CUSTOMER_FIELDS.values())))

Picks = dict[str, dict[str, str]]  # kind → {code: label} of the active entries


def errors(data: dict, fields: dict[str, str], picks: Picks) -> dict:
    """Field errors naming the allowed codes, for the fields of `data` that hold no active code."""
    found = {}
    for field, kind in fields.items():
        value = data.get(field)
        if value is None:
            continue
        allowed = picks.get(kind) or {}
        if value not in allowed:
            listed = ", ".join(f"{code} ({label})" for code, label in allowed.items()) or "none"
            found[field] = [f"Not a code of the dictionary {kind}; one of: {listed}."]
    return found


def check(data: dict, fields: dict[str, str], picks: Picks | None) -> None:
    """Raise a 422 for values outside the dictionary. `picks` None: the caller is in-process code
    (a use-case test) that did not come through the gateway; every RPC entry point passes them."""
    if picks is None:
        return
    found = errors(data, fields, picks)
    if found:
        raise InvalidInput("Values outside the data dictionary", found)


def resolve(value: str, kind: str, picks: Picks) -> str:
    """An import cell: the code itself, or an entry's label (what an office user types), as the code."""
    allowed = picks.get(kind) or {}
    if value in allowed:
        return value
    for code, label in allowed.items():
        if value == label or value in label.split():
            return code
    return value
