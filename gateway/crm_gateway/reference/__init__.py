"""Reference data shipped with the gateway (ADM-07): administrative regions and phone-number regions.

- Regions: provinces, cities and districts by GB/T 2260 code (省市区), crm_common.regions (its
  regions.csv is shared: customers store these codes).
- Phone-number region (号码归属地): mobile numbers by their 7-digit prefix and landlines by area
  code, from the `phone` package's phone.dat (MIT). Loaded once per process, on first use.
"""
import re
import struct
from functools import lru_cache

from marshmallow import fields, validate

from crm_common.errors import BadRequest, NotFound
from crm_common.regions import table as _regions
from crm_common.validation import StrictSchema, load_query

MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
LANDLINE = re.compile(r"^(?:\+?86)?(0\d{2,3})-?\d{7,8}$")


class RegionsQuery(StrictSchema):
    parent = fields.String(load_default=None, validate=validate.Regexp(r"^\d{6}$"))


def regions(query) -> dict:
    parent = load_query(RegionsQuery(), query)["parent"]
    by_code, children = _regions()
    if parent and parent not in by_code:
        raise NotFound("No such region")
    return {"items": children.get(parent or "", []), "next_cursor": None}


def region(code: str) -> dict:
    by_code, _ = _regions()
    row = by_code.get(code)
    if row is None:
        raise NotFound("No such region")
    path, current = [], row
    while current:
        path.insert(0, {"code": current["code"], "name": current["name"]})
        current = by_code.get(current["parent"])
    return {**row, "path": path}


@lru_cache(maxsize=1)
def _phone_data():
    from phone import Phone
    from phone.phone import get_record_content

    data = Phone()
    area_codes = {}
    for index in range(data.phone_record_count):
        offset = data.first_phone_record_offset + index * data.phone_fmt_length
        _, record_offset, _ = struct.unpack(data.phone_fmt, data.buf[offset:offset + data.phone_fmt_length])
        province, city, _, area = get_record_content(data.buf, record_offset).split("|")
        area_codes.setdefault(area, (province, city))
    return data, area_codes


def phone_region(number: str) -> dict:
    digits = re.sub(r"[\s()]", "", number)
    data, area_codes = _phone_data()
    mobile = MOBILE.match(digits)
    if mobile:
        found = data.find(mobile.group(1))
        if not found:
            raise NotFound("Unknown mobile number range")
        return {"number": mobile.group(1), "kind": "mobile", "province": found["province"],
                "city": found["city"], "area_code": found["area_code"], "carrier": found["phone_type"]}
    landline = LANDLINE.match(digits)
    if landline:
        for length in (4, 3):
            code = landline.group(1)[:length]
            if code in area_codes:
                province, city = area_codes[code]
                return {"number": digits, "kind": "landline", "province": province, "city": city,
                        "area_code": code, "carrier": None}
        raise NotFound("Unknown area code")
    raise BadRequest("Not a Chinese mobile or landline number", {"number": ["Unrecognised format."]})
