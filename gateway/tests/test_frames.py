"""The RPC client's own AMQP framing (crm_gateway.frames) against py-amqp's: a request it writes
reads back, in py-amqp's parser, as the publish py-amqp would have sent, and the replies it reads
are those py-amqp writes, whole or cut anywhere, in one frame or many. And the answers the client
passes on as the service's JSON: only a successful one in the form crm_common.rpc writes."""
import json
from struct import pack, unpack_from

import orjson

import amqp
import pytest
from amqp import spec
from amqp.method_framing import frame_writer
from amqp.serialization import decode_properties_basic, dumps, loads

from crm_common import wire
from crm_gateway import frames, rpc_client

HEADERS = {"nameko.call_id_stack": "a", "nameko.principal": '{"user_id":"上海"}', "nameko.deadline": "1.5"}


def split(data: bytes) -> list:
    """(type, channel, payload) of each frame; every frame must end in 0xCE."""
    out, at = [], 0
    while at < len(data):
        kind, channel, size = unpack_from(">BHI", data, at)
        assert data[at + 7 + size] == frames.FRAME_END
        out.append((kind, channel, data[at + 7:at + 7 + size]))
        at += 8 + size
    return out


def broker_frames(frame_max: int, *messages) -> bytes:
    """What the broker sends: py-amqp's own frame writer, basic.deliver and each message's content."""
    written = []

    class Connection:
        pass

    class Transport:
        def write(self, data):
            written.append(bytes(data))

    connection = Connection()
    connection.frame_max, connection.bytes_sent = frame_max, 0
    write = frame_writer(connection, Transport())
    for number, message in enumerate(messages, start=1):
        args = dumps("sLbss", ("ctag", number, False, "nameko-rpc", "rpc.reply-gateway-x"))
        write(1, 1, spec.Basic.Deliver, args, message)
    return b"".join(written)


@pytest.mark.parametrize("size", [0, 30, 5000, 70_000])
def test_a_request_reads_back_in_py_amqp_as_the_publish_it_would_send(size):
    body = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    writer = frames.Writer(3, 4096, "nameko-rpc", "application/x-crm-json", "utf-8", "rpc.reply-gateway-q")
    parts = split(writer.publish("customers.get_customer", "cid-1", HEADERS, body, "30000"))
    assert [kind for kind, _, _ in parts] == [1, 2] + [3] * len(range(0, size, 4088))
    assert {channel for _, channel, _ in parts} == {3}
    assert all(len(payload) <= 4088 for _, _, payload in parts)
    method = parts[0][2]
    assert unpack_from(">HH", method) == spec.Basic.Publish
    assert loads("Bssbb", method, 4)[0] == [0, "nameko-rpc", "customers.get_customer", False, False]
    class_id, _weight, body_size = unpack_from(">HHQ", parts[1][2])
    assert (class_id, body_size) == (60, size)
    properties, _ = decode_properties_basic(parts[1][2], 12)
    assert properties == {"content_type": "application/x-crm-json", "content_encoding": "utf-8",
                          "application_headers": HEADERS, "correlation_id": "cid-1",
                          "reply_to": "rpc.reply-gateway-q", "expiration": "30000"}
    assert b"".join(payload for _, _, payload in parts[2:]) == body


def test_headers_that_are_not_all_strings_are_written_by_py_amqp():
    writer = frames.Writer(1, 131072, "nameko-rpc", "application/x-crm-json", "utf-8", "q")
    header = split(writer.publish("s.m", "c", {"a": 1, "b": "x", "c": True}, b"{}", "1"))[1][2]
    assert decode_properties_basic(header, 12)[0]["application_headers"] == {"a": 1, "b": "x", "c": True}


def replies():
    return [amqp.Message(b'{"result": 1, "error": null}', content_type="application/x-crm-json",
                         content_encoding="utf-8", application_headers={}, delivery_mode=1, correlation_id="first"),
            amqp.Message(bytes(range(256)) * 300, correlation_id="second", priority=3,
                         application_headers={"k": "v" * 300}),
            amqp.Message(b"", correlation_id="third", content_type="application/json")]


@pytest.mark.parametrize("frame_max", [4096, 131072])
@pytest.mark.parametrize("cut", [1, 7, 1000, 10**7])
def test_replies_are_read_whole_however_the_bytes_arrive(frame_max, cut):
    data = broker_frames(frame_max, *replies()) + frames.HEARTBEAT
    reader = frames.Reader()
    got = []
    for start in range(0, len(data), cut):
        got += reader.feed(data[start:start + cut])
    assert got == [(message.properties["correlation_id"], message.body) for message in replies()]


def test_a_close_from_the_broker_ends_the_reading():
    method = pack(">HH", *spec.Connection.Close) + dumps(
        "BsBB", (320, "CONNECTION_FORCED - broker forced connection closure", 0, 0))
    with pytest.raises(frames.ConnectionClosed, match="320 CONNECTION_FORCED"):
        frames.Reader().feed(pack(">BHI", 1, 0, len(method)) + method + b"\xce")


def test_a_frame_without_its_end_byte_is_refused():
    data = bytearray(broker_frames(131072, replies()[0]))
    first_size, = unpack_from(">I", data, 3)
    data[7 + first_size] = 0
    with pytest.raises(frames.ConnectionClosed, match="malformed"):
        frames.Reader().feed(bytes(data))


@pytest.mark.parametrize("result", [{"items": [{"name": "上海天马", "n": 1.5}], "next_cursor": None}, [], None,
                                    {"error": None}, "x,\"error\":null}"])
def test_a_successful_answer_passes_on_as_the_json_of_its_result(result):
    raw = wire.dumps({"result": result, "error": None})
    passed = rpc_client.result_json(raw).raw
    assert passed == wire.dumps(result) and orjson.loads(passed) == result


@pytest.mark.parametrize("reply", [
    {"result": None, "error": {"exc_type": "NotFound", "value": "no", "error": None}},
    {"result": {"a": 1}, "error": {"exc_type": "Forbidden"}},
    {"error": None, "result": 1},
])
def test_an_error_or_an_answer_in_another_form_is_not_passed_on(reply):
    assert rpc_client.result_json(wire.dumps(reply)) is None
    assert rpc_client.result_json(json.dumps(reply).encode()) is None  # kombu json, from an older service
