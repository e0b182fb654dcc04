"""The AMQP 0-9-1 frames of a `basic.publish` (method, content header and body frames) as one buffer.

Written by the gateway for its RPC requests (`crm_gateway.frames.Writer`) and by each service for
its answers (`AnswerFrames`, for `crm_common.rpc.ReplyPublisher`): py-amqp wrote the same bytes
through a `Message` object, its generic property and argument serializers and the connection's
frame writer — ~25 % of the CPU of a service's `ping`. The parts that do not change between
messages (the channel, the exchange, constant properties) are encoded once.
"""
from functools import lru_cache
from struct import pack

FRAME_END = 0xCE
METHOD, HEADER, BODY = 1, 2, 3
BASIC = 60
_PUBLISH = 40
# content type, content encoding, headers, delivery mode, priority, correlation id: a flag bit each, from the top
_ANSWER_FLAGS = pack(">H", 0b1111_1100_0000_0000)
_TRANSIENT, _PRIORITY_0, _NO_HEADERS = b"\x01", b"\x00", b"\x00\x00\x00\x00"


def shortstr(value: str) -> bytes:
    raw = value.encode()
    if len(raw) > 255:
        raise ValueError(f"AMQP short string over 255 bytes: {value[:40]}…")
    return bytes((len(raw),)) + raw


class Publishing:
    """`basic.publish` frames of one channel to one exchange; a subclass writes the properties."""

    def __init__(self, channel_id: int, frame_max: int, exchange: str):
        self._channel_id = channel_id
        self._chunk = frame_max - 8  # a frame's header (7) and end (1) count against frame_max
        self._method_start = pack(">HHH", BASIC, _PUBLISH, 0) + shortstr(exchange)

    def _frame(self, kind: int, payload: bytes) -> list:
        return [pack(">BHI", kind, self._channel_id, len(payload)), payload, b"\xce"]

    def frames(self, routing_key: str, properties: bytes, body: bytes) -> bytes:
        """The message's frames; `properties` are the content header's flags and property values."""
        method = self._method_start + shortstr(routing_key) + b"\x00"  # not mandatory, not immediate
        parts = self._frame(METHOD, method) + self._frame(HEADER, pack(">HHQ", BASIC, 0, len(body)) + properties)
        for start in range(0, len(body), self._chunk):
            parts += self._frame(BODY, body[start:start + self._chunk])
        return b"".join(parts)


@lru_cache(maxsize=8)
def _answer_properties(content_type: str, encoding: str) -> bytes:
    return _ANSWER_FLAGS + shortstr(content_type) + shortstr(encoding) + _NO_HEADERS + _TRANSIENT + _PRIORITY_0


class AnswerFrames(Publishing):
    """A service's RPC answers, with py-amqp's properties for what ReplyPublisher used to publish:
    content type and encoding, empty application headers, delivery mode 1 (transient), priority 0
    and the request's correlation id (common/tests/test_answer_frames.py compares the bytes)."""

    def publish(self, routing_key: str, correlation_id: str | None, content_type: str, encoding: str,
                body: bytes | str) -> bytes:
        if isinstance(body, str):  # kombu's json serializer gives text
            body = body.encode(encoding)
        properties = _answer_properties(content_type, encoding)
        if correlation_id is None:  # py-amqp leaves an absent property out: its flag bit off
            properties = pack(">H", 0b1111_1000_0000_0000) + properties[2:]
        else:
            properties += shortstr(correlation_id)
        return self.frames(routing_key, properties, body)
