"""Document bytes: content sniffing, safe names, and the storage interface (local for real,
S3 against a stand-in client with boto3's method names)."""
import io

import pytest

from crm_gateway.files import sniff, storage

PDF = b"%PDF-1.4\n..."


@pytest.mark.parametrize("name, declared, head, expected", [
    ("a.pdf", "application/pdf", PDF, "application/pdf"),
    ("a.PDF", None, PDF, "application/pdf"),
    ("a.pdf", "application/octet-stream", PDF, "application/pdf"),
    ("a.docx", "", b"PK\x03\x04rest", sniff.OOXML + "wordprocessingml.document"),
    ("a.csv", "text/csv; charset=utf-8", "姓名,金额\n".encode(), "text/csv"),
    ("a.jpg", "image/jpeg", b"\xff\xd8\xff\xe0", "image/jpeg"),
])
def test_accepted_files_get_the_type_their_bytes_show(name, declared, head, expected):
    assert sniff.content_type(name, declared, head) == expected


@pytest.mark.parametrize("name, declared, head", [
    ("a.pdf", "application/pdf", b"MZ\x90\x00"),  # executable renamed
    ("a.png", "image/png", PDF),  # extension does not match the bytes
    ("a.pdf", "image/png", PDF),  # declared type does not match
    ("a.exe", None, b"MZ\x90"),  # not an accepted type at all
    ("a", None, PDF),  # no extension
    ("a.txt", "text/plain", b"\x00\x01binary"),
    ("a.txt", "text/plain", b"\xff\xfe\xfd"),  # not UTF-8
    ("a.docx", None, PDF),
])
def test_disguised_files_are_refused(name, declared, head):
    with pytest.raises(sniff.Refused):
        sniff.content_type(name, declared, head)


def test_text_cut_inside_a_multibyte_character_is_still_text():
    head = "合同".encode()[:-1]  # the sniffed head may end mid-character
    assert sniff.family_of(head) == "text"


@pytest.mark.parametrize("raw, safe", [
    ("../../etc/passwd", "passwd"), ("C:\\Users\\x\\报告.pdf", "报告.pdf"), (".hidden.txt", "hidden.txt"),
    ("a\x00b.txt", "a_b.txt"), ("  spaced .pdf ", "spaced .pdf"), ("e\u0301.txt", "\u00e9.txt"),
])
def test_names_lose_paths_and_unsafe_characters(raw, safe):
    assert sniff.safe_name(raw) == safe


def test_long_names_keep_their_extension():
    name = sniff.safe_name("长" * 300 + ".pdf")
    assert len(name) == sniff.MAX_NAME and name.endswith(".pdf")


@pytest.mark.parametrize("raw", [None, "", "..", "../", "/", "...", "\x00\x01"])
def test_names_with_nothing_left_are_refused(raw):
    with pytest.raises(sniff.Refused):
        sniff.safe_name(raw)


def test_local_storage_round_trip_and_cleanup(tmp_path):
    store = storage.LocalStorage(tmp_path)
    key = storage.new_key()
    store.save(key, iter([b"a" * 100_000, b"b"]))
    assert b"".join(store.open(key)) == b"a" * 100_000 + b"b"
    store.delete(key)
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_failed_save_leaves_no_file(tmp_path):
    store = storage.LocalStorage(tmp_path)

    def broken():
        yield b"partial"
        raise RuntimeError("client went away")
    with pytest.raises(RuntimeError):
        store.save(storage.new_key(), broken())
    assert not any(p.is_file() for p in tmp_path.rglob("*"))


def test_local_storage_refuses_keys_that_are_not_ours(tmp_path):
    with pytest.raises(ValueError):
        storage.LocalStorage(tmp_path).open("../../etc/passwd")


class FakeS3:
    """boto3's S3 client surface used by S3Storage, kept in a dict."""

    def __init__(self):
        self.objects = {}

    def upload_fileobj(self, fileobj, bucket, key):
        self.objects[(bucket, key)] = fileobj.read()

    def get_object(self, Bucket, Key):
        data = self.objects[(Bucket, Key)]

        class Body:
            def iter_chunks(self, size):
                stream = io.BytesIO(data)
                while chunk := stream.read(size):
                    yield chunk
        return {"Body": Body()}

    def delete_object(self, Bucket, Key):
        self.objects.pop((Bucket, Key), None)


def test_s3_storage_has_the_same_interface():
    client = FakeS3()
    store = storage.S3Storage(client, "crm-docs", "hq/")
    key = storage.new_key()
    store.save(key, iter([b"x" * 70_000, b"y"]))
    assert ("crm-docs", f"hq/{key}") in client.objects
    assert b"".join(store.open(key)) == b"x" * 70_000 + b"y"
    store.delete(key)
    assert client.objects == {}


def test_s3_is_chosen_when_a_bucket_is_configured(monkeypatch, tmp_path):
    monkeypatch.delenv("CRM_S3_BUCKET", raising=False)
    monkeypatch.setenv("CRM_STORAGE_DIR", str(tmp_path))
    assert isinstance(storage.configured(), storage.LocalStorage)
