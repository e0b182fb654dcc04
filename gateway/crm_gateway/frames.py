"""The AMQP 0-9-1 frames of the gateway's RPC calls: a request written, the replies read.

Only what the RPC client exchanges once its consumer is running: `basic.publish` with its
content out; `basic.deliver` with its content, heartbeats and the broker's closing methods in.
A request is written as one buffer (method, header and body frames) and replies are parsed
from whatever the socket returned, however many frames that holds or however few bytes.
"""
from struct import pack, unpack_from

import amqp.serialization

from crm_common.amqp_frames import BASIC, BODY, FRAME_END, HEADER, METHOD, Publishing, shortstr

HEARTBEAT = bytes((8, 0, 0, 0, 0, 0, 0, FRAME_END))
_HEARTBEAT = 8
_DELIVER, _CANCEL = (BASIC, 60), (BASIC, 30)
_CONNECTION_CLOSE, _CHANNEL_CLOSE = (10, 50), (20, 40)
# basic properties, in the order they are written; a flag bit each, from the top
_CONTENT_TYPE, _CONTENT_ENCODING, _HEADERS, _DELIVERY_MODE, _PRIORITY, _CORRELATION_ID, _REPLY_TO, _EXPIRATION = (
    1 << bit for bit in range(15, 7, -1))


class ConnectionClosed(Exception):
    """The broker closed the channel or the connection, or cancelled the consumer."""


def _table(headers: dict) -> bytes:
    """A field table; the gateway's context is all strings (written here), anything else by py-amqp."""
    if not all(isinstance(value, str) for value in headers.values()):
        return amqp.serialization.dumps("F", [headers])
    parts = []
    for key, value in headers.items():
        raw = value.encode()
        parts += (shortstr(key), b"S", pack(">I", len(raw)), raw)
    content = b"".join(parts)
    return pack(">I", len(content)) + content


class Writer(Publishing):
    """`basic.publish` frames of one channel to one exchange, replies to one queue."""

    def __init__(self, channel_id: int, frame_max: int, exchange: str, content_type: str, encoding: str,
                 reply_to: str):
        super().__init__(channel_id, frame_max, exchange)
        self._flags = pack(">H", _CONTENT_TYPE | _CONTENT_ENCODING | _HEADERS | _CORRELATION_ID | _REPLY_TO
                           | _EXPIRATION)
        self._constant_properties = shortstr(content_type) + shortstr(encoding)
        self._reply_to = shortstr(reply_to)

    def publish(self, routing_key: str, correlation_id: str, headers: dict, body: bytes, expiration: str) -> bytes:
        return self.frames(routing_key, b"".join((self._flags, self._constant_properties, _table(headers),
                                                  shortstr(correlation_id), self._reply_to,
                                                  shortstr(expiration))), body)


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
                if kind == BODY:
                    self._parts.append(bytes(payload))
                    self._received += size
                    if self._received >= self._size:
                        done.append((self._correlation_id, b"".join(self._parts)))
                        self._size = None
                elif kind == HEADER:
                    self._start(payload)
                    if self._size == 0:
                        done.append((self._correlation_id, b""))
                        self._size = None
                elif kind == METHOD:
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
