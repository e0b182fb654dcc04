"""json_values.loads gives what json.loads gives, for the documents where orjson alone would not
(big integers, what orjson refuses) and for many where it is used; and psycopg reads jsonb with it."""
import json
import random
import struct

import psycopg
import pytest

from crm_common import json_values
from crm_common.database import make_engine

TRICKY = [
    '{"n": 123456789012345678901234567890}',  # orjson alone: 1.2345678901234568e+29
    '[-9223372036854775809, 18446744073709551616, 9223372036854775807]',
    '{"id": "110101199003071234", "long": "1234567890123456789"}',  # digit strings: the stdlib, same values
    '{"x": 1e400}', '[NaN, Infinity]', '"\\ud800"',  # refused by orjson
    '{"a": 1, "a": 2}', '{"中文": "客户", "e": "\\u00e9\\ud83d\\ude00"}', ' [1, 2.5, -0, -0.0, true, null] ',
    '12345678901234567890.5', '0.1', '5e-324', '1.7976931348623157e308', '{}', '[]', '"x"',
]


def _same(a, b):
    assert type(a) is type(b) and repr(a) == repr(b)
    if isinstance(a, dict):
        assert list(a) == list(b)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_documents_decode_as_the_stdlib_decodes_them(text):
    _same(json_values.loads(text.encode()), json.loads(text))
    _same(json_values.loads(text), json.loads(text))


def test_numbers_of_every_shape_decode_as_the_stdlib_decodes_them():
    rng = random.Random(15)
    for _ in range(20_000):
        kind = rng.random()
        if kind < 0.3:
            value = struct.unpack("d", struct.pack("Q", rng.getrandbits(64)))[0]
            if value != value or value in (float("inf"), float("-inf")):
                continue
            text = repr(value)
        elif kind < 0.6:
            text = f"{rng.choice(['', '-'])}{rng.randint(0, 10 ** rng.randint(1, 25))}.{rng.randint(0, 10 ** 18)}"
        elif kind < 0.8:
            text = str(rng.randint(-10 ** rng.randint(1, 30), 10 ** rng.randint(1, 30)))
        else:
            text = f"{rng.randint(1, 10 ** rng.randint(1, 17))}e{rng.randint(-330, 310)}"
        document = f'{{"v": [{text}]}}'
        _same(json_values.loads(document.encode()), json.loads(document))


def test_psycopg_reads_jsonb_and_json_with_it(monkeypatch):
    from psycopg.types.json import _JsonLoader
    monkeypatch.setattr(_JsonLoader, "_loads", json.loads)
    monkeypatch.setenv("PSYCOPG_WAIT_FUNC", "wait_select")
    make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres").dispose()  # installs it
    assert _JsonLoader._loads is json_values.loads
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres") as conn:
        big, doc = conn.execute("""SELECT '{"n": 123456789012345678901234567890, "f": 1e20}'::jsonb,
                                          '{"客户": [1, 2.5, "x"]}'::json""").fetchone()
    assert big == {"n": 123456789012345678901234567890, "f": 100000000000000000000}
    assert type(big["f"]) is int and doc == {"客户": [1, 2.5, "x"]}
