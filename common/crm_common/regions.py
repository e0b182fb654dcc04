"""Administrative regions (省市区, ADM-07) by GB/T 2260 code, shared by the gateway's `/regions`
and the services that store a place (customers: province, city, district).

regions.csv is derived from the MIT licensed `cpca` package's adcodes table (2021 snapshot).
A place is stored as codes; what people typed is resolved to them here, so 北京, 北京市 and 110000
are one province. The four municipalities have one city, 市辖区 ("the city's districts"), which
people call by the municipality's name: 北京 as a city is 110100 and is shown as 北京市.
"""
import csv
from functools import lru_cache
from pathlib import Path

REGIONS_FILE = Path(__file__).with_name("regions.csv")
LEVELS = ("province", "city", "district")
_PLACEHOLDER_CITIES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


@lru_cache(maxsize=1)
def table() -> tuple[dict, dict]:
    """(code → row, parent code → child rows) with rows {code, name, parent, level}; "" is the root."""
    by_code, children = {}, {}
    with REGIONS_FILE.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_code[row["code"]] = row
            children.setdefault(row["parent"], []).append(row)
    return by_code, children


def name_of(code: str | None) -> str | None:
    """The name people read: a municipality's placeholder city shows as the municipality."""
    if code is None:
        return None
    by_code, _ = table()
    row = by_code[code]
    if row["level"] == "city" and row["name"] in _PLACEHOLDER_CITIES:
        return by_code[row["parent"]]["name"]
    return row["name"]


class Unresolved(ValueError):
    """A place that is no region, or not inside the one above it: {field: [message]}."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _match(typed: str, rows: list[dict], parent_name: str | None) -> list[dict]:
    exact = [r for r in rows if r["code"] == typed or r["name"] == typed]
    if exact:
        return exact
    if parent_name and typed in (parent_name, parent_name.rstrip("市")):  # 北京 as the city of 北京市
        placeholders = [r for r in rows if r["name"] in _PLACEHOLDER_CITIES]
        if placeholders:
            return placeholders[:1]
    # 浙江 → 浙江省, 杭州 → 杭州市, 广西 → 广西壮族自治区: the typed name begins the region's
    return [r for r in rows if len(typed) >= 2 and r["name"].startswith(typed)]


def _within(row: dict, ancestor: str) -> bool:
    by_code, _ = table()
    while row is not None and row["parent"]:
        if row["parent"] == ancestor:
            return True
        row = by_code.get(row["parent"])
    return False


def resolve(province: str | None, city: str | None, district: str | None) -> dict:
    """{province_code, city_code, district_code} for what was typed (codes or names; None: none),
    each inside the one above it; a lower level alone finds its parents. Raises Unresolved.
    Cached: an import's rows name the same few hundred places over and over."""
    found = _resolved(province, city, district)
    if isinstance(found, Unresolved):
        raise Unresolved(found.errors)
    return dict(found)


@lru_cache(maxsize=8192)
def _resolved(province, city, district):
    try:
        return tuple(_resolve(province, city, district).items())
    except Unresolved as exc:
        return exc


def _resolve(province: str | None, city: str | None, district: str | None) -> dict:
    by_code, children = table()
    typed = {"province": province, "city": city, "district": district}
    codes: dict[str, str | None] = {level: None for level in LEVELS}
    errors = {}
    parent = ""
    for level in LEVELS:
        value = (typed[level] or "").strip()
        if not value:
            continue
        # a level may be skipped (a province and a district): what lies anywhere below the parent
        pool = [r for r in by_code.values() if r["level"] == level and (not parent or _within(r, parent))]
        if value.isdigit() and value in by_code and by_code[value]["level"] == level:
            found = [by_code[value]]
        else:
            found = _match(value, pool, by_code[parent]["name"] if parent else None)
            if not found and level == "city" and not parent:  # 北京 alone: the municipality's city
                municipality = _match(value, children[""], None)
                if len(municipality) == 1:
                    found = _match(value, children.get(municipality[0]["code"], []), municipality[0]["name"])
        if parent and found and not _within(found[0], parent):
            errors[level] = [f"{value} does not lie in {by_code[parent]['name']}."]
            break
        if len(found) != 1:
            errors[level] = [f"{value} is {'no' if not found else 'more than one'} {level}"
                             f"{' in ' + by_code[parent]['name'] if parent else ''}: give its code (GET /regions)."]
            break
        codes[level] = parent = found[0]["code"]
    if errors:
        raise Unresolved(errors)
    # a city or district alone names its parents
    for lower, upper in (("district", "city"), ("city", "province")):
        if codes[lower] and not codes[upper]:
            codes[upper] = by_code[codes[lower]]["parent"]
    return {f"{level}_code": codes[level] for level in LEVELS}


def names(codes: dict) -> dict:
    """{province, city, district}: the names of resolved codes."""
    return {level: name_of(codes.get(f"{level}_code")) for level in LEVELS}
