"""crm-json decodes to what kombu's json decoded to, for every type an answer holds."""
import json
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

from kombu.serialization import registry
from kombu.utils import json as kombu_json

from crm_common import config, wire
from nameko import serialization

ANSWER = {"items": [{"id": str(uuid.uuid4()), "name": "上海天马贸易有限公司", "code": "C-HQ-B-0000001",
                     "tags": ["重点", "VIP"], "custom": {"等级": "A", "n": 3}, "in_pool": False,
                     "owner": None, "amount": Decimal("12.50"), "ratio": 0.25, "emoji": "🐎"}],
          "next_cursor": None, "total": 2, "at": datetime(2026, 12, 1, 21, 4, 5, 123456, tzinfo=timezone.utc),
          "day": date(2026, 12, 1), 7: "a key that is not a string"}


def test_crm_json_decodes_as_kombu_json_did_and_writes_utf8():
    encoded = wire.dumps(ANSWER)
    assert json.loads(encoded) == json.loads(kombu_json.dumps(ANSWER))
    assert "上海天马".encode() in encoded and b"\\u" not in encoded


def test_a_uuid_object_is_its_string():
    value = uuid.uuid4()
    assert wire.loads(wire.dumps({"id": value})) == {"id": str(value)}


def test_what_orjson_refuses_is_written_as_kombu_wrote_it():
    for odd in ("lone \ud800 surrogate", 2 ** 70):
        encoded = wire.dumps({"v": odd})
        assert encoded == kombu_json.dumps({"v": odd}).encode()
        assert wire.loads(encoded) == {"v": odd}


def test_loads_reads_kombu_json_as_the_gateway_did():
    old = kombu_json.dumps(ANSWER)
    assert wire.loads(old) == json.loads(old)
    assert wire.loads(old.encode()) == json.loads(old)


def test_services_accept_both_and_answer_in_the_callers_type():
    default, accept = serialization.setup(config.nameko_config("customers", 8101))
    assert default == "json" and set(accept) == {"json", wire.NAME}
    content_type, encoding, body = registry.dumps({"result": ANSWER, "error": None}, wire.NAME)
    assert (content_type, encoding) == (wire.CONTENT_TYPE, "utf-8")
    assert registry.loads(body, content_type, encoding, accept=[content_type]) == json.loads(body)
