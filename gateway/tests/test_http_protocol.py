"""The gateway's HTTP server reads a request's head itself (crm_gateway.http_protocol): each way of
framing a request two ways is refused with 400 before the application sees it, oversized heads
with 431, and a well-formed request reaches the application as the `email`-based parser of
http.server delivered it. Real sockets against eventlet.wsgi with the gateway's protocol and an
application that echoes what it was given."""
import json
import socket

import eventlet
import eventlet.wsgi
import pytest

from crm_gateway.http_protocol import Protocol

_ENVIRON_KEYS = ("REQUEST_METHOD", "PATH_INFO", "QUERY_STRING", "CONTENT_TYPE", "CONTENT_LENGTH", "SERVER_PROTOCOL")


class _Echo:
    """Answers with what the request brought: method, path, headers as WSGI keys, the body."""

    def __init__(self):
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        seen = {key: environ.get(key) for key in _ENVIRON_KEYS}
        seen["headers"] = {key: value for key, value in environ.items() if key.startswith("HTTP_")}
        seen["body"] = environ["wsgi.input"].read().decode("latin-1")
        body = json.dumps(seen).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]


@pytest.fixture
def server():
    app = _Echo()
    listener = eventlet.listen(("127.0.0.1", 0))
    thread = eventlet.spawn(eventlet.wsgi.server, listener, app, log_output=False, url_length_limit=8192,
                            protocol=Protocol)
    app.port = listener.getsockname()[1]
    yield app
    thread.kill()


def _exchange(server, data: bytes) -> bytes:
    """Everything the server answers to these bytes, sent as all the client has to say."""
    conn = eventlet.connect(("127.0.0.1", server.port))
    conn.settimeout(5)
    conn.sendall(data)
    conn.shutdown(socket.SHUT_WR)
    answer = b""
    while chunk := conn.recv(65536):
        answer += chunk
    conn.close()
    return answer


def _answers(raw: bytes) -> list[tuple[int, dict]]:
    """(status, JSON body) of each answer in what the server sent."""
    answers = []
    while raw:
        head, _, rest = raw.partition(b"\r\n\r\n")
        length = int(next(line.split(b":", 1)[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length:")))
        answers.append((int(head.split()[1]), json.loads(rest[:length])))
        raw = rest[length:]
    return answers


def _refused(server, data: bytes) -> tuple[int, str]:
    raw = _exchange(server, data)
    head = raw.partition(b"\r\n\r\n")[0]
    assert b"Content-Type: application/problem+json" in head and b"Connection: close" in head, raw[:300]
    [(status, problem)] = _answers(raw)
    assert problem["status"] == status
    assert server.calls == 0, "the application saw a refused request"
    return status, problem["detail"]


def _request(head: str, body: bytes = b"") -> bytes:
    return head.replace("\n", "\r\n").encode("latin-1") + b"\r\n" + body


SMUGGLING = {
    "two Content-Length, different": _request("POST /x HTTP/1.1\nHost: a\nContent-Length: 5\nContent-Length: 11\n",
                                              b"hello GET /"),
    "two Content-Length, the same": _request("POST /x HTTP/1.1\nHost: a\nContent-Length: 5\nContent-Length: 5\n",
                                             b"hello"),
    "a Content-Length list": _request("POST /x HTTP/1.1\nHost: a\nContent-Length: 5, 5\n", b"hello"),
    "a signed Content-Length": _request("POST /x HTTP/1.1\nHost: a\nContent-Length: +5\n", b"hello"),
    "a negative Content-Length": _request("POST /x HTTP/1.1\nHost: a\nContent-Length: -5\n"),
    "a hexadecimal Content-Length": _request("POST /x HTTP/1.1\nHost: a\nContent-Length: 0x5\n", b"hello"),
    "Transfer-Encoding with Content-Length": _request(
        "POST /x HTTP/1.1\nHost: a\nContent-Length: 4\nTransfer-Encoding: chunked\n", b"0\r\n\r\n"),
    "Content-Length with Transfer-Encoding after it": _request(
        "POST /x HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\nContent-Length: 4\n", b"0\r\n\r\n"),
    "a transfer coding other than chunked": _request("POST /x HTTP/1.1\nHost: a\nTransfer-Encoding: gzip\n",
                                                     b"GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"),
    "chunked, then another coding": _request("POST /x HTTP/1.1\nHost: a\nTransfer-Encoding: chunked, identity\n",
                                             b"0\r\n\r\n"),
    "Transfer-Encoding twice": _request("POST /x HTTP/1.1\nHost: a\nTransfer-Encoding: chunked\n"
                                        "Transfer-Encoding: chunked\n", b"0\r\n\r\n"),
    "a folded Content-Length": _request("POST /x HTTP/1.1\nHost: a\nContent-Length:\n 5\n", b"hello"),
    "a folded header (obs-fold, space)": _request("GET /x HTTP/1.1\nHost: a\nX-A: one\n two\n"),
    "a folded header (obs-fold, tab)": _request("GET /x HTTP/1.1\nHost: a\nX-A: one\n\ttwo\n"),
    "a space before the colon": _request("POST /x HTTP/1.1\nHost: a\nContent-Length : 5\n", b"hello"),
    "a tab before the colon": _request("POST /x HTTP/1.1\nHost: a\nTransfer-Encoding\t: chunked\n", b"0\r\n\r\n"),
    "a line without a colon": _request("GET /x HTTP/1.1\nHost: a\nnot a header\nContent-Length: 5\n", b"hello"),
    "an empty header name": _request("GET /x HTTP/1.1\nHost: a\n: nameless\n"),
    "a name that is not a token": _request("GET /x HTTP/1.1\nHost: a\nX(A): 1\n"),
    "a NUL in a value": _request("GET /x HTTP/1.1\nHost: a\nX-A: a\x00b\n"),
    "a bare CR in a value": _request("GET /x HTTP/1.1\nHost: a\nX-A: a\rContent-Length: 5\n", b"hello"),
    "a bare CR in a name": _request("GET /x HTTP/1.1\nHost: a\nX-A\r: 1\n"),
    "a DEL in a value": _request("GET /x HTTP/1.1\nHost: a\nX-A: a\x7fb\n"),
    "an escape in a value": _request("GET /x HTTP/1.1\nHost: a\nX-A: \x1b[31m\n"),
    "non-ASCII in a name": _request("GET /x HTTP/1.1\nHost: a\nX-\xe9: 1\n"),
    "the head cut off before its blank line": b"GET /x HTTP/1.1\r\nHost: a\r\nX-A: 1",
    "a request line with a tab": _request("GET\t/x HTTP/1.1\nHost: a\n"),
    "a request line with two spaces": _request("GET  /x HTTP/1.1\nHost: a\n"),
    "a request line with a space in the target": _request("GET /x y HTTP/1.1\nHost: a\n"),
    "a request line with a control character in the target": _request("GET /x\x01 HTTP/1.1\nHost: a\n"),
    "a request line of two words (HTTP/0.9)": b"GET /x\r\n\r\n",
    "a request line of one word": b"GARBAGE\r\n\r\n",
    "a method that is not a token": _request("G(E)T /x HTTP/1.1\nHost: a\n"),
    "a version with a leading zero": _request("GET /x HTTP/01.1\nHost: a\n"),
    "a version that is no version": _request("GET /x HTTP/1.1.1\nHost: a\n"),
    "a version in lower case": _request("GET /x http/1.1\nHost: a\n"),
}


@pytest.mark.parametrize("data", SMUGGLING.values(), ids=SMUGGLING.keys())
def test_a_request_that_could_be_framed_two_ways_is_refused_with_400(server, data):
    assert _refused(server, data)[0] == 400


@pytest.mark.parametrize("version", ["HTTP/2.0", "HTTP/9.9", "HTTP/0.9"])
def test_an_http_version_other_than_1_is_refused_with_505(server, version):
    assert _refused(server, _request(f"GET /x {version}\nHost: a\n"))[0] == 505


def test_oversized_heads_are_refused_with_431(server):
    assert _refused(server, _request("GET /x HTTP/1.1\nHost: a\nX-Long: " + "y" * 9000 + "\n"))[0] == 431
    many_big = "".join(f"X-H{i}: {'z' * 4000}\n" for i in range(20))
    assert _refused(server, _request("GET /x HTTP/1.1\nHost: a\n" + many_big))[0] == 431
    hundred = "".join(f"X-H{i}: 1\n" for i in range(99))
    status, detail = _refused(server, _request("GET /x HTTP/1.1\nHost: a\n" + hundred))
    assert status == 431 and "99 headers" in detail


def test_ninety_nine_headers_are_read(server):
    ninety_nine = "".join(f"X-H{i}: {i}\n" for i in range(98))
    [(status, seen)] = _answers(_exchange(server, _request("GET /x HTTP/1.1\nHost: a\n" + ninety_nine)))
    assert status == 200 and seen["headers"]["HTTP_X_H97"] == "97" and len(seen["headers"]) == 99


def test_a_well_formed_request_reaches_the_application_as_http_server_parsed_it(server):
    head = ("POST /api/v1/customers?q=%E5%A4%A9&page=2 HTTP/1.1\nHost: gateway:8000\n"
            "Content-Type: application/json; charset=utf-8\nContent-Length: 11\n"
            "X-Spaced:   padded value \t\nX-Empty:\nX-Latin: caf\xe9\nAccept: a/b\nAccept: c/d\n"
            "Authorization: Bearer abc.def.ghi\n")
    [(status, seen)] = _answers(_exchange(server, _request(head, b'{"name":1}\n')))
    assert status == 200
    assert {key: seen[key] for key in _ENVIRON_KEYS} == {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/api/v1/customers", "QUERY_STRING": "q=%E5%A4%A9&page=2",
        "CONTENT_TYPE": "application/json; charset=utf-8", "CONTENT_LENGTH": "11", "SERVER_PROTOCOL": "HTTP/1.0"}
    assert seen["headers"] == {"HTTP_HOST": "gateway:8000", "HTTP_X_SPACED": "padded value", "HTTP_X_EMPTY": "",
                               "HTTP_X_LATIN": "caf\xe9", "HTTP_ACCEPT": "a/b,c/d",
                               "HTTP_AUTHORIZATION": "Bearer abc.def.ghi"}
    assert seen["body"] == '{"name":1}\n'


def test_a_request_without_a_content_type_has_the_default_one(server):
    # eventlet takes the `email` message's default when the header is absent
    [(_, seen)] = _answers(_exchange(server, _request("GET // HTTP/1.1\nHost: a\n")))
    assert seen["CONTENT_TYPE"] == "text/plain" and seen["CONTENT_LENGTH"] is None
    assert seen["PATH_INFO"] == "/"  # as http.server: a leading // is one /


def test_keep_alive_serves_requests_in_turn_and_reads_a_chunked_body(server):
    data = (_request("POST /one HTTP/1.1\nHost: a\nTransfer-Encoding: Chunked\n", b"5\r\nhello\r\n0\r\n\r\n")
            + _request("GET /two HTTP/1.1\nHost: a\n")
            + _request("POST /three HTTP/1.1\nHost: a\nContent-Length: 3\n", b"abc"))
    answers = _answers(_exchange(server, data))
    assert [(status, seen["PATH_INFO"], seen["body"]) for status, seen in answers] == [
        (200, "/one", "hello"), (200, "/two", ""), (200, "/three", "abc")]


def test_connection_close_and_http_1_0_close_after_the_answer(server):
    for head in ("GET /x HTTP/1.1\nHost: a\nConnection: close\n", "GET /x HTTP/1.0\nHost: a\n"):
        raw = _exchange(server, _request(head) * 2)
        assert b"Connection: close" in raw and [status for status, _ in _answers(raw)] == [200]
    raw = _exchange(server, _request("GET /x HTTP/1.0\nConnection: Keep-Alive\n") * 2)
    assert raw.count(b"Connection: keep-alive") == 2 and len(_answers(raw)) == 2


def test_an_empty_line_before_a_request_closes_the_connection_unanswered(server):
    assert _exchange(server, b"\r\n" + _request("GET /x HTTP/1.1\nHost: a\n")) == b""
    assert server.calls == 0


def test_expect_100_continue_is_answered_when_the_body_is_read(server):
    raw = _exchange(server, _request("POST /x HTTP/1.1\nHost: a\nExpect: 100-continue\nContent-Length: 2\n", b"ok"))
    assert raw.startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
    [(status, seen)] = _answers(raw.removeprefix(b"HTTP/1.1 100 Continue\r\n\r\n"))
    assert status == 200 and seen["body"] == "ok"


def test_a_field_given_twice_is_looked_up_as_its_first_value(server):
    # as `email.message.Message.get`: CONTENT_TYPE is the first Content-Type, the HTTP_ keys join all
    head = "POST /x HTTP/1.1\nHost: a\ncontent-type: text/csv\nContent-Length: 0\nCONTENT-TYPE: application/json\n"
    [(_, seen)] = _answers(_exchange(server, _request(head)))
    assert seen["CONTENT_TYPE"] == "text/csv"


def test_spaces_after_a_framing_value_are_what_they_were_before_it(server):
    data = (_request("POST /one HTTP/1.1\nHost: a\nContent-Length: 3 \t\n", b"abc")
            + _request("POST /two HTTP/1.1\nHost: a\nTransfer-Encoding: chunked \n", b"2\r\nok\r\n0\r\n\r\n"))
    assert [(status, seen["body"]) for status, seen in _answers(_exchange(server, data))] == [(200, "abc"), (200, "ok")]
