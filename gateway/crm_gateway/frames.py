"""The AMQP 0-9-1 frames of the gateway's RPC calls: a request written, the replies read.

Only what the RPC client exchanges once its consumer is running: `basic.publish` with its
content out; `basic.deliver` with its content, heartbeats and the broker's closing methods in.
A request is written as one buffer (method, header and body frames) and replies are parsed
from whatever the socket returned, however many frames that holds or however few bytes.
"""
from struct import pack, unpack_from

import amqp.serialization

FRAME_END = 0xCE
HEARTBEAT = bytes((8, 0, 0, 0, 0, 0, 0, FRAME_END))
_METHOD, _HEADER, _BODY, _HEARTBEAT = 1, 2, 3, 8
_BASIC = 60
_PUBLISH, _DELIVER, _CANCEL = (_BASIC, 40), (_BASIC, 60), (_BASIC, 30)
_CONNECTION_CLOSE, _CHANNEL_CLOSE = (10, 50), (20, 40)
# basic properties, in the order they are written; a flag bit each, from the top
_CONTENT_TYPE, _CONTENT_ENCODING, _HEADERS, _DELIVERY_MODE, _PRIORITY, _CORRELATION_ID, _REPLY_TO, _EXPIRATION = (
    1 << bit for bit in range(15, 7, -1))


class ConnectionClosed(Exception):
    """The broker closed the channel or the connection, or cancelled the consumer."""


def _shortstr(value: str) -> bytes:
    raw = value.encode()
    if len(raw) > 255:
        raise ValueError(f"AMQP short string over 255 bytes: {value[:40]}…")
    return bytes((len(raw),)) + raw


def _table(headers: dict) -> bytes:
    """A field table; the gateway's context is all strings (written here), anything else by py-amqp."""
    if not all(isinstance(value, str) for value in headers.values()):
        return amqp.serialization.dumps("F", [headers])
    parts = []
    for key, value in headers.items():
        raw = value.encode()
        parts += (_shortstr(key), b"S", pack(">I", len(raw)), raw)
    content = b"".join(parts)
    return pack(">I", len(content)) + content


class Writer:
    """`basic.publish` frames of one channel to one exchange, replies to one queue."""

    def __init__(self, channel_id: int, frame_max: int, exchange: str, content_type: str, encoding: str,
                 reply_to: str):
        self._channel_id = channel_id
        self._chunk = frame_max - 8  # a frame's header (7) and end (1) count against frame_max
        self._method_start = pack(">HHH", *_PUBLISH, 0) + _shortstr(exchange)
        self._flags = pack(">H", _CONTENT_TYPE | _CONTENT_ENCODING | _HEADERS | _CORRELATION_ID | _REPLY_TO
                           | _EXPIRATION)
        self._constant_properties = _shortstr(content_type) + _shortstr(encoding)
        self._reply_to = _shortstr(reply_to)

    def _frame(self, kind: int, payload: bytes) -> list:
        return [pack(">BHI", kind, self._channel_id, len(payload)), payload, b"\xce"]

    def publish(self, routing_key: str, correlation_id: str, headers: dict, body: bytes, expiration: str) -> bytes:
        method = self._method_start + _shortstr(routing_key) + b"\x00"  # not mandatory, not immediate
        header = b"".join((pack(">HHQ", _BASIC, 0, len(body)), self._flags, self._constant_properties,
                           _table(headers), _shortstr(correlation_id), self._reply_to, _shortstr(expiration)))
        parts = self._frame(_METHOD, method) + self._frame(_HEADER, header)
        for start in range(0, len(body), self._chunk):
            parts += self._frame(_BODY, body[start:start + self._chunk])
        return b"".join(parts)


class Reader:
    """Turns the bytes the broker sends into (correlation id, body) of each message delivered."""

    def __init__(self):
        self._buffer = bytearray()
        self._correlation_id = None
        self._size = None  # of the body being received, None between messages
        self._parts = []
        self._received = 0

    def feed(self, data: bytes) -> list:
        # what arrives after a whole frame is kept for the next call; a body is copied once, out of it
        buffer = self._buffer
        if buffer:
            buffer += data
        else:
            buffer = data
        done, at, end = [], 0, len(buffer)
        with memoryview(buffer) as view:
            while end - at >= 8:
                kind, _channel, size = unpack_from(">BHI", buffer, at)
                stop = at + 7 + size
                if stop >= end:
                    break
                if buffer[stop] != FRAME_END:
                    raise ConnectionClosed(f"malformed frame from the broker (type {kind}, {size} bytes)")
                payload = view[at + 7:stop]
                at = stop + 1
                if kind == _BODY:
                    self._parts.append(bytes(payload))
                    self._received += size
                    if self._received >= self._size:
                        done.append((self._correlation_id, b"".join(self._parts)))
                        self._size = None
                elif kind == _HEADER:
                    self._start(payload)
                    if self._size == 0:
                        done.append((self._correlation_id, b""))
                        self._size = None
                elif kind == _METHOD:
                    self._method(bytes(payload))
        self._buffer = bytearray(buffer[at:]) if at < end else bytearray()
        return done

    def _method(self, payload: bytes) -> None:
        method = unpack_from(">HH", payload)
        if method in (_CONNECTION_CLOSE, _CHANNEL_CLOSE):
            code, = unpack_from(">H", payload, 4)
            text = payload[7:7 + payload[6]].decode(errors="replace")
            raise ConnectionClosed(f"closed by the broker: {code} {text}")
        if method == _CANCEL:
            raise ConnectionClosed("the broker cancelled the reply consumer")
        # basic.deliver announces the header and body frames; a connection.blocked or unblocked
        # needs nothing of a client that only waits (a blocked request times out as a lost one)

    def _start(self, payload: memoryview) -> None:
        """A content header: the body's size and the correlation id among the properties."""
        self._size, = unpack_from(">Q", payload, 4)
        self._parts, self._received, self._correlation_id = [], 0, None
        flags, = unpack_from(">H", payload, 12)
        at = 14
        while payload[at - 1] & 1:  # a flag word with its lowest bit set is followed by another
            at += 2
        if flags & _CONTENT_TYPE:
            at += 1 + payload[at]
        if flags & _CONTENT_ENCODING:
            at += 1 + payload[at]
        if flags & _HEADERS:
            at += 4 + unpack_from(">I", payload, at)[0]
        if flags & _DELIVERY_MODE:
            at += 1
        if flags & _PRIORITY:
            at += 1
        if flags & _CORRELATION_ID:
            self._correlation_id = bytes(payload[at + 1:at + 1 + payload[at]]).decode()
