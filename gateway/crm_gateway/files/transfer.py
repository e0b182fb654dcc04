"""Upload and download routes of the document centre: bytes stream between the HTTP client and
the storage in 64 KB chunks while the workspace service keeps the metadata and the rules.

Upload: check the declared length, sniff the first bytes, stream the rest to the storage while
counting and hashing, then register the document by RPC; if anything fails the stored bytes
are removed, so a refused upload leaves nothing behind.
"""
import hashlib
import os
from urllib.parse import quote

from marshmallow import fields, validate
from werkzeug.wrappers import Response

from crm_common.errors import CrmError, InvalidInput
from crm_common.validation import StrictSchema, load_body
from crm_gateway.files import sniff, storage

MAX_UPLOAD_BYTES = int(os.environ.get("CRM_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))


class UploadQuery(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=1000))
    title = fields.String(validate=validate.Length(max=200))
    category_id = fields.UUID()


class TooLarge(CrmError):
    status, title = 413, "Content too large"


class UnsupportedType(CrmError):
    status, title = 415, "Unsupported media type"


_store = None


def store():
    global _store
    if _store is None:
        _store = storage.configured()
    return _store


def _read_head(stream) -> bytes:
    head = b""
    while len(head) < sniff.SNIFF_BYTES:
        chunk = stream.read(sniff.SNIFF_BYTES - len(head))
        if not chunk:
            break
        head += chunk
    return head


class _Counted:
    """Yields the head then the rest of the body, counting and hashing; stops past the limit."""

    def __init__(self, head: bytes, stream):
        self.head, self.stream = head, stream
        self.size, self.sha256 = 0, hashlib.sha256()

    def __iter__(self):
        chunk = self.head
        while chunk:
            self.size += len(chunk)
            if self.size > MAX_UPLOAD_BYTES:
                raise TooLarge(f"Files are limited to {MAX_UPLOAD_BYTES} bytes")
            self.sha256.update(chunk)
            yield chunk
            chunk = self.stream.read(storage.CHUNK)


def body_stream(request):
    """werkzeug hides a body without Content-Length (it cannot know where it ends); eventlet's
    input decodes chunked transfer encoding itself, so a chunked upload is read from it."""
    if request.content_length is None and "chunked" in request.headers.get("Transfer-Encoding", "").lower():
        return request.environ["wsgi.input"]
    return request.stream


def upload(ctx):
    # the query string is the upload's form: a bad one is invalid input (422), as a body would be
    query = load_body(UploadQuery(), ctx.query())
    try:
        name = sniff.safe_name(query["name"])
    except sniff.Refused as exc:
        raise InvalidInput("Invalid file name", {"name": [str(exc)]}) from None
    stream = body_stream(ctx.request)
    head = _read_head(stream)
    if not head:
        raise InvalidInput("Empty file", {"file": ["The body is the file and must not be empty."]})
    try:
        kind = sniff.content_type(name, ctx.request.headers.get("Content-Type"), head)
    except sniff.Refused as exc:
        raise UnsupportedType(str(exc)) from None
    key, body = storage.new_key(), _Counted(head, stream)
    store().save(key, body)
    try:
        payload = {"name": name, "content_type": kind, "size": body.size,
                   "sha256": body.sha256.hexdigest(), "storage_key": key}
        payload.update({f: str(query[f]) for f in ("title", "category_id") if query.get(f)})
        return ctx.call("workspace", "register_document", [payload])
    except BaseException:
        store().delete(key)
        raise


def download(ctx):
    document = ctx.call("workspace", "open_document", [ctx.params["id"]])
    chunks = store().open(document["storage_key"])
    disposition = f"attachment; filename*=UTF-8''{quote(document['name'], safe='')}"
    return Response(chunks, status=200, direct_passthrough=True, headers={
        "Content-Type": document["content_type"], "Content-Length": str(document["size"]),
        "Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store"})


def delete(ctx):
    removed = ctx.call("workspace", "delete_document", [ctx.params["id"]])
    store().delete(removed["storage_key"])  # after the row is gone: never a row without bytes
