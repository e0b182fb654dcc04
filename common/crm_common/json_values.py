"""JSON read back from PostgreSQL (jsonb and json columns, `folding.json_list` text): orjson where it
gives exactly what the stdlib's `json.loads` gives, the stdlib where it might not.

psycopg decodes every jsonb value with `json.loads` (bytes in: encoding detection, then the pure
decoder's objects): one `custom` per customer of a list page was 15 % of the list's use case
(cProfile, 50 rows). orjson reads the same documents several times faster and gives the same
values, but for two things: an integer beyond 64 bits becomes a float (the stdlib keeps the int)
and what it refuses (NaN, 1e400, a lone surrogate) the stdlib accepts. So a document with a run of
19 or more digits (any integer that might not fit in 64 bits, and the rare long number or digit
string) goes to the stdlib, as does anything orjson refuses. PostgreSQL writes jsonb numbers in
full (1e20 comes back as 100000000000000000000), so the digit run catches every big one.
common/tests/test_json_values.py compares both decoders.
"""
import json
import re

import orjson

_LONG_DIGITS = re.compile(rb"\d{19}")


def loads(raw: bytes | str):
    data = raw.encode() if isinstance(raw, str) else raw
    if _LONG_DIGITS.search(data) is None:
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(data)
