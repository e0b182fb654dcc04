"""An RPC answer's frames are, byte for byte, what py-amqp wrote for ReplyPublisher's publish."""
import amqp
import pytest
from amqp import spec
from amqp.method_framing import frame_writer
from amqp.serialization import dumps

from crm_common.amqp_frames import AnswerFrames


def py_amqp_publish(frame_max: int, channel: int, exchange: str, routing_key: str, correlation_id, content_type,
                    encoding, body) -> bytes:
    """py-amqp's own writer, with the message kombu's `prepare_message` made for the old publish."""
    written = []

    class Connection:
        pass

    class Transport:
        def write(self, data):
            written.append(bytes(data))

    connection = Connection()
    connection.frame_max, connection.bytes_sent = frame_max, 0
    properties = {"delivery_mode": 1}
    if correlation_id is not None:
        properties["correlation_id"] = correlation_id
    message = amqp.Message(body, priority=0, content_type=content_type, content_encoding=encoding,
                           application_headers={}, **properties)
    args = dumps("Bssbb", (0, exchange, routing_key, False, False))
    frame_writer(connection, Transport())(1, channel, spec.Basic.Publish, args, message)
    return b"".join(written)


@pytest.mark.parametrize("size", [0, 1, 4079, 4080, 4088, 4089, 10_000, 54_321])
@pytest.mark.parametrize("frame_max", [4096, 131072])
def test_an_answer_is_the_bytes_py_amqp_wrote(size, frame_max):
    body = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    frames = AnswerFrames(2, frame_max, "nameko-rpc")
    args = ("rpc.reply-gateway-5f0c", "9b2e-correlation", "application/x-crm-json", "utf-8", body)
    assert frames.publish(*args) == py_amqp_publish(frame_max, 2, "nameko-rpc", *args)


@pytest.mark.parametrize("correlation_id", [None, "", "c" * 255])
def test_kombu_json_text_and_odd_correlation_ids_too(correlation_id):
    body = '{"result": "\\u5929\\u9a6c 天马", "error": null}'
    frames = AnswerFrames(1, 131072, "nameko-rpc")
    args = ("rpc.reply-sales-x", correlation_id, "application/json", "utf-8", body)
    assert frames.publish(*args) == py_amqp_publish(131072, 1, "nameko-rpc", *args)


def test_a_reply_queue_name_over_255_bytes_is_refused():
    with pytest.raises(ValueError, match="short string"):
        AnswerFrames(1, 131072, "nameko-rpc").publish("q" * 256, "c", "application/json", "utf-8", b"{}")
