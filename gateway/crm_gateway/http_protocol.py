"""How the gateway's HTTP server reads a request's head: eventlet.wsgi's protocol with a request
line and header parser of its own, strict about framing, and its refusals in problem+json.

Why its own parser: `http.server` hands the header block to the `email` package (~45 µs of CPU for
a browser's dozen headers, against ~16 µs for all of `parse_request` here; the HTTP server was a
third of the gateway's CPU per request in its profile),
and that parser is lenient where lenience lets a request be framed two ways (by this server and
by a proxy in front of it): it joins folded lines, ends the headers quietly at a line without a
colon (the rest becomes body), takes the first of two Content-Length headers, and leaves a
body framed by a Transfer-Encoding other than chunked unread, to be read as the next request.
Here each of those is a 400 (RFC 9112: obsolete line folding, whitespace before the colon, a
duplicate or malformed Content-Length, Content-Length with Transfer-Encoding, a transfer coding
other than chunked), as are control characters in a field and a request line that is not
`METHOD SP target SP HTTP/1.x`. What a well-formed request produces is what it did: the same
`headers` object (an `http.client.HTTPMessage` with the fields in order, as the `email` parser
built it) and, from it, the same WSGI environ.
"""
import http.client
import json
import re
import socket
from http import HTTPStatus

import eventlet.wsgi

# RFC 9110 5.6.2 and 5.5: a field name (and a method) is a token; a value is visible characters,
# obs-text, spaces and tabs (the spaces before it are not part of it; those after it are kept, as
# the `email` parser kept them). Possessive, so that a line that fails is not tried again in
# pieces: linear in the head's length, which eventlet limits to 64 KiB.
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]++"
_FIELD = re.compile(rf"({_TOKEN}):[ \t]*+([\t \x21-\x7e\x80-\xff]*+)\r\n")
_HEAD = re.compile(rf"(?:{_TOKEN}:[\t \x21-\x7e\x80-\xff]*+\r\n)*+\r\n")  # the fields and the blank line
_METHOD = re.compile(_TOKEN)
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# a request target has no spaces or control characters; it is not decoded here
_BAD_TARGET = re.compile(r"[\x00-\x20\x7f]")
_VERSION = re.compile(r"HTTP/([0-9])\.([0-9])")
_LENGTH = re.compile(r"[0-9]+[ \t]*")
MAX_HEADERS = 99  # as http.client, which counts the blank line among its 100: more is a 431
# what a refused request may still bring in after its answer, and how long to wait for it
DRAIN_LIMIT = 16 * 1024 * 1024
DRAIN_SECONDS = 2


def _fault(lines: list[str]) -> str:
    """What is wrong with the first header line that is not a field."""
    for line in lines:
        if _FIELD.fullmatch(line + "\r\n"):
            continue
        if line[:1] in (" ", "\t"):
            return "A header line may not be folded onto the next"
        name, colon, _value = line.partition(":")
        if not colon or not _METHOD.fullmatch(name):
            return "A header line is a name, a colon and a value"
        if _CONTROL.search(line):
            return "A header value may not contain control characters"
    return "Each header line ends with CRLF"


class _Headers(http.client.HTTPMessage):
    """A request's fields as http.client's parser stores them (eventlet reads them there), with a
    lookup by name made once: eventlet and this protocol ask for six by name per request, and
    `Message.get` scans every field for each."""

    def __init__(self, fields: list[tuple[str, str]]):
        super().__init__()
        self._headers = fields
        self.first = {}
        for name, value in reversed(fields):
            self.first[name.lower()] = value

    def get(self, name, failobj=None):
        return self.first.get(name.lower(), failobj)


class _Refused(Exception):
    def __init__(self, status: int, detail: str):
        super().__init__(detail)
        self.status, self.detail = status, detail


class Protocol(eventlet.wsgi.HttpProtocol):
    """What eventlet answers itself, before the application sees a request (a malformed request
    line, an HTTP version it does not speak, a request line or header it will not read), is
    problem+json like every other error.

    eventlet writes its own bare 414 for a request line of `url_length_limit` bytes and a bare 400
    when a header line reaches `eventlet.wsgi.MAX_HEADER_LINE` or all of them MAX_TOTAL_HEADER_SIZE;
    both are caught here first, where it reads them.
    """

    # eventlet writes an answer's status line, headers and body through this buffer and flushes
    # once: with its 16 KB a page of 50 customers (~75 KB) went out as two sends (the headers,
    # then the body). Its pages are only touched as far as an answer fills them.
    wbufsize = 256 << 10

    def _read_request_line(self):
        line = super()._read_request_line()
        if len(line) >= self.server.url_length_limit:
            self.requestline, self.command = "", ""
            self._refuse(414, f"The request line is limited to {self.server.url_length_limit} bytes")
            return ""  # eventlet then closes the connection without a word of its own
        return line

    def parse_request(self):
        """Sets command, path, request_version, headers and close_connection as
        BaseHTTPRequestHandler.parse_request does; False when the request was refused (answered)."""
        self.command, self.request_version, self.close_connection = None, "HTTP/1.0", True
        if self.raw_requestline == b"\r\n":
            return False  # as http.server: an empty line closes the connection unanswered
        try:
            self._parse_request_line()
            self.headers = self._read_headers()
            self._check_framing()
        except _Refused as refusal:
            self._refuse(refusal.status, refusal.detail)
            return False
        except eventlet.wsgi.HeaderLineTooLong:
            self._refuse(431, f"A header line is limited to {eventlet.wsgi.MAX_HEADER_LINE} bytes")
            return False
        except eventlet.wsgi.HeadersTooLarge:
            self._refuse(431, f"The headers are limited to {eventlet.wsgi.MAX_TOTAL_HEADER_SIZE} bytes")
            return False
        connection = self.headers.get("Connection", "").lower()
        if connection == "close":
            self.close_connection = True
        elif connection == "keep-alive":
            self.close_connection = False
        # `Expect: 100-continue` is answered by eventlet's input when the application reads the body
        return True

    def _parse_request_line(self):
        raw = self.raw_requestline
        if not raw.endswith(b"\r\n"):
            raise _Refused(400, "The request line ends without CRLF")
        line = str(raw[:-2], "iso-8859-1")
        self.requestline = line
        words = line.split(" ")
        if (len(words) != 3 or not _METHOD.fullmatch(words[0]) or not words[1]
                or _BAD_TARGET.search(words[1])):
            raise _Refused(400, f"Bad request syntax ({line!r})")
        command, path, version = words
        match = _VERSION.fullmatch(version)
        if match is None:
            raise _Refused(400, f"Bad request version ({version!r})")
        if match[1] != "1":
            raise _Refused(505, f"Invalid HTTP version ({version[5:]})")
        self.request_version = version
        self.close_connection = match[2] == "0"
        # as http.server: a path starting with // would read as a host to a client it is sent back to
        self.command, self.path = command, "/" + path.lstrip("/") if path.startswith("//") else path

    def _read_headers(self) -> "_Headers":
        text = self._head().decode("iso-8859-1")
        lines = text.split("\r\n")  # the last two are empty: the head ends in a blank line
        if len(lines) - 2 > MAX_HEADERS:
            raise _Refused(431, f"A request may have up to {MAX_HEADERS} headers")
        if max(map(len, lines)) + 2 >= eventlet.wsgi.MAX_HEADER_LINE:
            raise eventlet.wsgi.HeaderLineTooLong()
        if _HEAD.fullmatch(text) is None:
            raise _Refused(400, _fault(lines[:-2]))
        return _Headers(_FIELD.findall(text))

    def _head(self) -> bytes:
        """The header lines and the blank line after them, CRLF each, within eventlet's limits on
        a line and on the whole (which raise HeaderLineTooLong and HeadersTooLarge)."""
        buffered = self.rfile.fp.peek()  # the request line came through this buffer, and most heads with it
        if buffered.startswith(b"\r\n"):
            size = 2
        else:
            size = buffered.find(b"\r\n\r\n") + 4  # 3 when it is not all there yet
        if size > eventlet.wsgi.MAX_TOTAL_HEADER_SIZE:
            raise eventlet.wsgi.HeadersTooLarge()
        if size != 3:
            return self.rfile.fp.read(size)
        lines = []  # line by line, through eventlet's reader that counts them
        while (line := self.rfile.readline()) not in (b"\r\n", b"\n"):
            if not line.endswith(b"\n"):
                raise _Refused(400, "The headers end before the blank line after them")
            lines.append(line)
        return b"".join(lines) + line

    def _check_framing(self):
        """The body's length, one way only: eventlet would take the first Content-Length, and read
        a body in a transfer coding it does not decode as the next request."""
        headers = self.headers
        lengths = headers.get_all("Content-Length", []) if "content-length" in headers.first else []
        codings = headers.get_all("Transfer-Encoding", []) if "transfer-encoding" in headers.first else []
        if len(lengths) > 1:
            raise _Refused(400, "Content-Length may be given once")
        if lengths and not _LENGTH.fullmatch(lengths[0]):
            raise _Refused(400, "Content-Length must be a non-negative whole number")
        if lengths and codings:
            raise _Refused(400, "Content-Length and Transfer-Encoding are not allowed together")
        if codings and (len(codings) > 1 or codings[0].rstrip(" \t").lower() != "chunked"):
            raise _Refused(400, "The only transfer coding accepted is chunked")

    def _refuse(self, code, detail):
        """Answer, then read what the client is still sending: closing with it unread would reset
        the connection, and the client would lose the answer."""
        try:
            self.send_error(code, detail)
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(DRAIN_SECONDS)
            drained = 0
            while drained < DRAIN_LIMIT and (chunk := self.connection.recv(65536)):
                drained += len(chunk)
        except OSError:  # a timeout or a reset: the answer has been sent, or cannot be
            pass

    def send_error(self, code, message=None, explain=None):
        self.close_connection = True
        # a refused request line leaves no version to answer in: nobody speaks 0.9, so answer in 1.x
        self.request_version = "HTTP/1.0"
        status = HTTPStatus(code)
        body = json.dumps({"type": "about:blank", "title": status.phrase, "status": code,
                           "detail": message or status.description}).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("Connection", "close")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
