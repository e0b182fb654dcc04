"""Customer import from the file an office user has: .xlsx or .csv (UTF-8, with or without a
BOM, or GB18030 as Excel on a Chinese Windows saves "CSV"), and the template to fill in.

The file streams to a temporary file (a workbook is a zip, read from its end), is read row by
row (openpyxl read-only) and goes to the import job as the CSV chunks the job already takes
(`customers.add_import_chunk`); the service validates every row as for any import (CUS-12).
"""
import codecs
import csv
import io
import os
import tempfile
from datetime import date, datetime, time
from typing import Iterator

from marshmallow import fields, validate
from werkzeug.wrappers import Response

from crm_common.errors import InvalidInput
from crm_common.validation import StrictSchema, load_body
from crm_gateway.files import exports, sniff, storage, transfer

MAX_IMPORT_BYTES = int(os.environ.get("CRM_MAX_IMPORT_BYTES", str(100 * 1024 * 1024)))
CHUNK_ROWS, CHUNK_CHARS = 5000, 800_000  # a chunk the service accepts (ImportChunkIn: 900,000 characters)


class ImportFileQuery(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class TemplateQuery(StrictSchema):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(exports.FORMATS))


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number or code Excel keeps as a number
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _openpyxl():
    """openpyxl, imported when a workbook is first read or written: at the top it was 5 MiB resident
    in every gateway process, for the rare import."""
    import openpyxl

    return openpyxl


def xlsx_rows(path: str) -> Iterator[list[str]]:
    book = _openpyxl().load_workbook(path, read_only=True, data_only=True)
    try:
        for row in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(v) for v in row]
    finally:
        book.close()


def _decoded_lines(path: str) -> Iterator[str]:
    """UTF-8 (a BOM dropped), else GB18030, decided from the whole file before anything is sent."""
    encoding = "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            while chunk := handle.read(storage.CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            encoding = "gb18030"
    with open(path, encoding=encoding, newline="") as handle:
        yield from handle


def csv_rows(path: str) -> Iterator[list[str]]:
    yield from csv.reader(_decoded_lines(path))


def chunks(rows: Iterator[list[str]]) -> Iterator[tuple[int, str]]:
    """(first data row number, CSV text with the header) of at most CHUNK_ROWS rows each."""
    header = None
    out, writer = io.StringIO(), None
    first = number = 0
    for row in rows:
        if header is None:
            if not any(cell.strip() for cell in row):
                continue
            while row and not row[-1].strip():
                row = row[:-1]  # a sheet's empty columns to the right
            header = row
            continue
        if not any(cell.strip() for cell in row):
            continue  # an empty line is no row (the service skips them too)
        if writer is None:
            writer = csv.writer(out)
            writer.writerow(header)
            first = number + 1
        number += 1
        writer.writerow(row[:len(header)] if not any(c.strip() for c in row[len(header):]) else row)
        if number - first + 1 >= CHUNK_ROWS or out.tell() >= CHUNK_CHARS:
            yield first, out.getvalue()
            out, writer = io.StringIO(), None
    if writer is not None:
        yield first, out.getvalue()
    if header is None:
        raise InvalidInput("Empty file", {"file": ["The file has no header row."]})


def upload(ctx):
    """POST /customer-imports/{id}/file?name=…: the body is the file; rows join the job."""
    query = load_body(ImportFileQuery(), ctx.query())
    try:
        name = sniff.safe_name(query["name"])
    except sniff.Refused as exc:
        raise InvalidInput("Invalid file name", {"name": [str(exc)]}) from None
    ext = os.path.splitext(name)[1].lower()
    if ext not in (".xlsx", ".csv"):
        raise transfer.UnsupportedType("Imports take .xlsx or .csv files")
    fd, path = tempfile.mkstemp(prefix="crm-import-", suffix=ext)
    try:
        with os.fdopen(fd, "wb") as spool:
            size = 0
            stream = transfer.body_stream(ctx.request)
            while chunk := stream.read(storage.CHUNK):
                size += len(chunk)
                if size > MAX_IMPORT_BYTES:
                    raise transfer.TooLarge(f"Import files are limited to {MAX_IMPORT_BYTES} bytes")
                spool.write(chunk)
        if size == 0:
            raise InvalidInput("Empty file", {"file": ["The body is the file and must not be empty."]})
        with open(path, "rb") as handle:
            head = handle.read(sniff.SNIFF_BYTES)
        # a CSV may be GB18030, which is no UTF-8 text to sniff: it only must not be binary
        family = sniff.family_of(head)
        if (family != "zip") if ext == ".xlsx" else (family not in ("text", None) or b"\x00" in head):
            raise transfer.UnsupportedType(f"The content is not a {ext} file.")
        rows = xlsx_rows(path) if ext == ".xlsx" else csv_rows(path)
        job = None
        for first, body in chunks(rows):
            job = ctx.call("customers", "add_import_chunk", [ctx.params["id"], {"first_row": first, "csv": body},
                                                             ctx.picks.current()])
        return job if job is not None else ctx.call("customers", "get_import", [ctx.params["id"]])
    finally:
        os.unlink(path)


def template(ctx):
    """GET /customer-imports/template?format=xlsx|csv: the header row to fill in."""
    fmt = load_body(TemplateQuery(), ctx.query())["format"]
    header = ctx.call("customers", "import_columns", [])["headers"]
    name, ascii_name = f"客户导入模板.{fmt}", f"customer-import-template.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out).writerow(header)
        body = [exports.BOM + out.getvalue().encode()]
    else:
        body = _template_xlsx(header)
    return Response(body, status=200, direct_passthrough=True, headers={
        "Content-Type": exports.CSV_TYPE if fmt == "csv" else exports.XLSX_TYPE,
        "Content-Disposition": exports.disposition(name, ascii_name), "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store"})


def _template_xlsx(header: list[str]) -> list[bytes]:
    out = io.BytesIO()
    book = _openpyxl().Workbook(write_only=True)
    sheet = book.create_sheet("客户")
    sheet.append(header)
    book.save(out)
    return [out.getvalue()]
