"""Exports that office users can open: the lists a manager exports, as CSV (UTF-8 with a BOM, so
Excel on a Chinese Windows reads it) or .xlsx, with a Chinese file name.

The owning service answers the list one page at a time (keyset cursor, its scope and filters,
`crm_common.exports`); the gateway writes each page into the file as it comes, so neither holds
more than a page, and nothing caps the number of rows. `GET /<list>/export` streams the file to
the client; a large one is better run as a background job (export_jobs.py).
"""
import csv
import io
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Callable, Iterator
from urllib.parse import quote

from eventlet import tpool
from werkzeug.wrappers import Response

from crm_common import branch_time
from crm_common.errors import BadRequest, Forbidden
from crm_common.records import utcnow
from crm_gateway.identity.models import User

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff".encode()
XLSX_MAX_ROWS = 1_048_576  # a sheet's rows, the header included: more rows go on to the next sheet
# A text cell starting so is a formula to Excel (CSV injection): it is written with a leading '.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportList:
    rpc: str  # "service.method" answering pages
    permission: str
    title: str  # the file's Chinese name
    ascii_name: str  # the fallback for clients that do not read filename*

    @property
    def service(self) -> str:
        return self.rpc.split(".")[0]

    @property
    def method(self) -> str:
        return self.rpc.split(".")[1]


LISTS = {
    "customers": ExportList("customers.export_customers", "customers.export", "客户", "customers"),
    "contacts": ExportList("customers.export_contacts", "customers.export", "联系人", "contacts"),
    "interactions": ExportList("customers.export_interactions", "customers.export", "跟进记录", "visit-reports"),
    "orders": ExportList("sales.export_orders", "orders.export", "销售订单", "orders"),
    "receivables": ExportList("finance.export_receivables", "receivables.export", "应收款", "receivables"),
    # the report pack (issue 17): a report is one page, in the caller's scope like the report itself
    "reports/funnel": ExportList("sales.export_funnel_report", "opportunities.read", "销售漏斗", "funnel"),
    "reports/opportunities": ExportList("sales.export_opportunities_report", "opportunities.read", "商机与赢率",
                                        "opportunities-report"),
    "reports/sales-amounts": ExportList("sales.export_sales_amounts_report", "orders.read", "合同与订单金额",
                                        "sales-amounts"),
    "reports/sales-ranking": ExportList("sales.export_sales_ranking_report", "orders.read", "销售排行",
                                        "sales-ranking"),
    "reports/products": ExportList("sales.export_product_ranking_report", "orders.read", "产品销量排行",
                                   "product-ranking"),
    "reports/targets": ExportList("sales.export_target_completion_report", "orders.read", "目标完成",
                                  "target-completion"),
    "reports/receipts": ExportList("finance.export_receipts_report", "receipts.read", "回款与开票", "receipts"),
    "reports/receipt-ranking": ExportList("finance.export_receipt_ranking_report", "receipts.read", "回款排行",
                                          "receipt-ranking"),
    "reports/follow-ups": ExportList("customers.export_follow_ups_report", "customers.read", "跟进方式统计",
                                     "follow-ups"),
    "reports/leads": ExportList("customers.export_leads_report", "customers.read", "线索转化与公海",
                                "leads"),
    "reports/customer-ranking": ExportList("customers.export_customer_ranking_report", "customers.read",
                                           "客户与跟进排行", "customer-ranking"),
}
FORMATS = ("csv", "xlsx")

# call(service, method, args, branch) -> answer, as the caller (a request's or a job's principal)
Call = Callable[[str, str, list, str], dict]


def file_name(export: ExportList, fmt: str, now: datetime | None = None) -> tuple[str, str]:
    """(Chinese name, ASCII fallback), stamped with the branch's local time."""
    stamp = (now or utcnow()).astimezone(branch_time.zone()).strftime("%Y%m%d-%H%M%S")
    return f"{export.title}_{stamp}.{fmt}", f"{export.ascii_name}_{stamp}.{fmt}"


def disposition(name: str, ascii_name: str) -> str:
    """RFC 6266: filename* (RFC 5987, UTF-8) for the Chinese name, filename for older clients."""
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"


def split_format(query: dict) -> tuple[str, dict]:
    """(format, the list's filters) of a query string; the service judges the filters."""
    query = dict(query)
    fmt = query.pop("format", "csv")
    if fmt not in FORMATS:
        raise BadRequest("Unsupported format", {"format": [f"Must be one of: {', '.join(FORMATS)}."]})
    return fmt, query


class Pages:
    """The pages of one export across the branches it covers, the first one fetched at once so a
    bad filter or a missing permission fails before anything is written."""

    def __init__(self, call: Call, export: ExportList, query: dict, branches: list[str]):
        self.call, self.export, self.query = call, export, query
        self.branches = list(branches)
        self.first = self._page(self.branches[0], None)
        self.columns = self.first["columns"]
        self.total = self.first["total"]
        self.processed = 0

    def _page(self, branch: str, cursor: str | None) -> dict:
        return self.call(self.export.service, self.export.method, [self.query, cursor], branch)

    def __iter__(self) -> Iterator[list[list]]:
        for index, branch in enumerate(self.branches):
            page = self.first if index == 0 else self._page(branch, None)
            if index:
                self.total += page["total"]
            while True:
                self.processed += len(page["rows"])
                yield page["rows"]
                if not page["next_cursor"]:
                    break
                page = self._page(branch, page["next_cursor"])


def branches_for(ctx, export: ExportList) -> list[str]:
    if not ctx.principal.has(export.permission):
        raise Forbidden(f"Missing permission {export.permission}")
    if ctx.branches.spans_all(ctx.principal, export.permission):
        return list(ctx.branches.clients)
    return [ctx.principal.branch]


def user_names(session_factory) -> dict[str, str]:
    """id → name of every user (organisation-sized), for the columns that name one."""
    with session_factory() as session:
        return dict(session.query(User.id, User.name).all())


class Cells:
    """What a spreadsheet shows of a page's cells (text from the service, `crm_common.exports`):
    users by name, and text that Excel would run as a formula (CSV injection) kept as text."""

    def __init__(self, columns: list[dict], names: dict[str, str]):
        self.kinds = [c["kind"] for c in columns]
        self.names = names
        self._users = [i for i, kind in enumerate(self.kinds) if kind == "user"]
        self._texts = [i for i, kind in enumerate(self.kinds) if kind == "text"]

    def text(self, row: list) -> list:
        """The row for CSV (None is written as an empty cell); changed in place."""
        for i in self._users:
            if row[i] is not None:
                row[i] = self.names.get(row[i], row[i])
        for i in self._texts:
            value = row[i]
            if value and value.startswith(_FORMULA_START):
                row[i] = "'" + value
        return row


def csv_chunks(pages: Pages, cells: Cells) -> Iterator[bytes]:
    """The file as bytes, a page at a time: BOM, the Chinese header, then the rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c["label"] for c in pages.columns])
    yield BOM + out.getvalue().encode()
    for rows in pages:
        out.seek(0)
        out.truncate()
        writer.writerows(cells.text(row) for row in rows)
        yield out.getvalue().encode()


def write_xlsx(path: str, pages: Pages, cells: Cells, sheet_title: str) -> None:
    """The workbook in constant-memory mode: each row goes to disk as it is written."""
    import xlsxwriter  # here, not at the top: 2 MiB resident in every gateway process for the rare .xlsx

    book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_numbers": False,
                                      "strings_to_formulas": False, "strings_to_urls": False})
    formats = {"header": book.add_format({"bold": True}), "money": book.add_format({"num_format": "#,##0.00"}),
               "date": book.add_format({"num_format": "yyyy-mm-dd"}),
               "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})}
    kinds = cells.kinds
    state = {"sheet": None, "row": XLSX_MAX_ROWS, "count": 0}

    def next_sheet():
        state["count"] += 1
        sheet = book.add_worksheet(sheet_title if state["count"] == 1 else f"{sheet_title}({state['count']})")
        for col, column in enumerate(pages.columns):
            sheet.write_string(0, col, column["label"], formats["header"])
            sheet.set_column(col, col, 20 if kinds[col] in ("datetime", "text") else 14)
        state["sheet"], state["row"] = sheet, 1

    for rows in pages:
        for row in rows:
            if state["row"] >= XLSX_MAX_ROWS:
                next_sheet()
            _write_row(state["sheet"], state["row"], row, kinds, cells.names, formats)
            state["row"] += 1
    if state["sheet"] is None:
        next_sheet()
    # Closing zips the whole workbook (over a minute of CPU for a million rows): in an OS thread,
    # or the gateway's green threads, every other request included, would wait for it.
    tpool.execute(book.close)


def _write_row(sheet, r: int, row: list, kinds: list[str], names: dict, formats: dict) -> None:
    for col, (value, kind) in enumerate(zip(row, kinds, strict=True)):
        if value is None:
            continue
        if kind in ("money", "number"):
            sheet.write_number(r, col, float(Decimal(str(value))), formats["money"] if kind == "money" else None)
        elif kind == "date":
            sheet.write_datetime(r, col, datetime.combine(date.fromisoformat(value), datetime.min.time()),
                                 formats["date"])
        elif kind == "datetime":
            sheet.write_datetime(r, col, datetime.fromisoformat(value), formats["datetime"])
        elif kind == "user":
            sheet.write_string(r, col, names.get(value, value))
        else:
            sheet.write_string(r, col, str(value))


def xlsx_chunks(pages: Pages, cells: Cells, sheet_title: str) -> Iterator[bytes]:
    """A workbook is a zip finished at its end: it is built in a temporary file, then streamed."""
    fd, path = tempfile.mkstemp(prefix="crm-export-", suffix=".xlsx")
    os.close(fd)
    try:
        write_xlsx(path, pages, cells, sheet_title)
        with open(path, "rb") as handle:
            while chunk := handle.read(64 * 1024):
                yield chunk
    finally:
        os.unlink(path)


def chunks(fmt: str, pages: Pages, cells: Cells, export: ExportList) -> Iterator[bytes]:
    return csv_chunks(pages, cells) if fmt == "csv" else xlsx_chunks(pages, cells, export.title)


def route(name: str):
    """GET /<list>/export?format=csv|xlsx&<the list's filters>: the file, streamed."""
    export = LISTS[name]

    def download(ctx):
        fmt, query = split_format(ctx.query())
        call = lambda service, method, args, branch: ctx.call(service, method, args, branch=branch)  # noqa: E731
        pages = Pages(call, export, query, branches_for(ctx, export))
        cells = Cells(pages.columns, user_names(ctx.db))
        name, ascii_name = file_name(export, fmt)
        return Response(chunks(fmt, pages, cells, export), status=200, direct_passthrough=True, headers={
            "Content-Type": CSV_TYPE if fmt == "csv" else XLSX_TYPE,
            "Content-Disposition": disposition(name, ascii_name), "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store", "X-Export-Total": str(pages.total)})
    return download
