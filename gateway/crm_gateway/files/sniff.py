"""What a file really is, from its first bytes, and a safe name for it (pure rules).

The stored content type is decided here from the magic bytes and the extension, never taken
from the client: a declared type that disagrees, or an extension that does not match the
bytes (an .exe renamed .pdf), is refused.
"""
import codecs
import os
import re
import unicodedata

OOXML = "application/vnd.openxmlformats-officedocument."
# family -> (magic prefixes, {extension: content type})
FAMILIES = {
    "pdf": ((b"%PDF-",), {".pdf": "application/pdf"}),
    "png": ((b"\x89PNG\r\n\x1a\n",), {".png": "image/png"}),
    "jpeg": ((b"\xff\xd8\xff",), {".jpg": "image/jpeg", ".jpeg": "image/jpeg"}),
    "gif": ((b"GIF87a", b"GIF89a"), {".gif": "image/gif"}),
    "zip": ((b"PK\x03\x04",), {".zip": "application/zip",
                               ".docx": OOXML + "wordprocessingml.document",
                               ".xlsx": OOXML + "spreadsheetml.sheet",
                               ".pptx": OOXML + "presentationml.presentation"}),
    "ole": ((b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",), {".doc": "application/msword",
                                                     ".xls": "application/vnd.ms-excel",
                                                     ".ppt": "application/vnd.ms-powerpoint"}),
    "text": ((), {".txt": "text/plain", ".csv": "text/csv", ".md": "text/markdown"}),
}
ANY_TYPE = ("", "application/octet-stream")
SNIFF_BYTES = 8192
MAX_NAME = 200
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\/]')


class Refused(ValueError):
    """The file is not accepted; the message says why (it goes to the client)."""


def safe_name(raw: str | None) -> str:
    """The last path segment, without control or reserved characters or leading dots."""
    if not raw:
        raise Refused("A file name is required.")
    name = unicodedata.normalize("NFC", raw)
    name = re.split(r"[\\/]", name)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if not name or not os.path.splitext(name)[0].strip("_ "):
        raise Refused("The file name is empty once path parts and unsafe characters are removed.")
    if len(name) > MAX_NAME:
        stem, ext = os.path.splitext(name)
        name = stem[:MAX_NAME - len(ext)] + ext
    return name


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def family_of(head: bytes) -> str | None:
    for family, (magics, _) in FAMILIES.items():
        if any(head.startswith(m) for m in magics):
            return family
    return "text" if head and _is_text(head) else None


def content_type(name: str, declared: str | None, head: bytes) -> str:
    """The content type to store and serve, or Refused."""
    ext = os.path.splitext(name)[1].lower()
    allowed = {e: t for _, (_, types) in FAMILIES.items() for e, t in types.items()}
    if ext not in allowed:
        raise Refused(f"Files of type '{ext or 'without extension'}' are not accepted; "
                      f"accepted: {', '.join(sorted(allowed))}.")
    family = family_of(head)
    if family is None or ext not in FAMILIES[family][1]:
        raise Refused(f"The content is not a {ext} file.")
    kind = FAMILIES[family][1][ext]
    declared = (declared or "").split(";")[0].strip().lower()
    if declared not in ANY_TYPE and declared != kind:
        raise Refused(f"Declared type {declared} does not match the content ({kind}).")
    return kind
