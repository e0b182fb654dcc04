"""Where document bytes live: one small interface, local disk by default, S3-compatible when
CRM_S3_BUCKET is set. Everything moves in chunks; nothing holds a whole file in memory."""
import os
import tempfile
import uuid
from pathlib import Path
from typing import Iterable, Iterator

CHUNK = 64 * 1024


def new_key() -> str:
    return uuid.uuid4().hex


class LocalStorage:
    """Files under `root/<2 hex>/<key>`; written to a temp file then renamed, so a reader never
    sees half a file and a failed upload leaves nothing behind."""

    def __init__(self, root):
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if len(key) != 32 or not all(c in "0123456789abcdef" for c in key):
            raise ValueError("bad storage key")  # keys are ours; this guards path tricks anyway
        return self.root / key[:2] / key

    def save(self, key: str, chunks: Iterable[bytes]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in chunks:
                    out.write(chunk)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise

    def open(self, key: str) -> Iterator[bytes]:
        handle = open(self._path(key), "rb")  # opened now: a missing file fails before headers

        def read():
            with handle:
                while chunk := handle.read(CHUNK):
                    yield chunk
        return read()

    def delete(self, key: str) -> None:
        try:
            self._path(key).unlink()
        except FileNotFoundError:
            pass


class S3Storage:
    """Any S3-compatible store (AWS, MinIO, Aliyun OSS, ...) through a boto3-style client.
    Uploads spool to a temporary file on disk first (bounded memory, and S3 wants a length)."""

    def __init__(self, client, bucket: str, prefix: str = "documents/"):
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def save(self, key: str, chunks: Iterable[bytes]) -> None:
        with tempfile.TemporaryFile() as spool:
            for chunk in chunks:
                spool.write(chunk)
            spool.seek(0)
            self.client.upload_fileobj(spool, self.bucket, self.prefix + key)

    def open(self, key: str) -> Iterator[bytes]:
        body = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)["Body"]
        return body.iter_chunks(CHUNK)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)


def configured():
    bucket = os.environ.get("CRM_S3_BUCKET")
    if bucket:
        import boto3  # only deployments that use S3 need it installed

        client = boto3.client("s3", endpoint_url=os.environ.get("CRM_S3_ENDPOINT_URL") or None)
        return S3Storage(client, bucket, os.environ.get("CRM_S3_PREFIX", "documents/"))
    return LocalStorage(os.environ.get("CRM_STORAGE_DIR", ".local/storage"))
