"""The export writers (pure): CSV that Excel opens, xlsx on several sheets, the file name header,
and the chunks an imported file becomes."""
from urllib.parse import quote

import openpyxl
import pytest

from crm_common.errors import InvalidInput
from crm_gateway.files import exports, imports

COLUMNS = [{"key": "name", "label": "客户名称", "kind": "text"}, {"key": "total", "label": "金额", "kind": "money"},
           {"key": "on", "label": "日期", "kind": "date"}, {"key": "at", "label": "创建时间", "kind": "datetime"},
           {"key": "owner_id", "label": "负责人", "kind": "user"}]


class Pages:
    """Stands in for exports.Pages: the rows of a few pages."""

    def __init__(self, pages):
        self.columns, self.pages = COLUMNS, pages

    def __iter__(self):
        return iter(self.pages)


def rows(n, start=0):
    return [[f"客户{i}", "1234.50", "2026-03-02", "2026-03-02 09:30:00", "u1"] for i in range(start, start + n)]


def test_csv_has_a_bom_the_chinese_header_and_defused_formulas():
    pages = Pages([rows(2), [["=HYPERLINK(\"x\")", None, None, None, "unknown"]]])
    body = b"".join(exports.csv_chunks(pages, exports.Cells(COLUMNS, {"u1": "张三"}))).decode("utf-8")
    assert body.startswith("\ufeff客户名称,金额,日期,创建时间,负责人\r\n")
    lines = body[1:].splitlines()
    assert lines[1] == "客户0,1234.50,2026-03-02,2026-03-02 09:30:00,张三"
    assert lines[3] == '"\'=HYPERLINK(""x"")",,,,unknown'  # text, not a formula; an unknown user stays an id


def test_xlsx_types_its_cells_and_goes_on_to_a_next_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 3)  # a header and two rows per sheet
    path = tmp_path / "out.xlsx"
    exports.write_xlsx(str(path), Pages([rows(3), rows(2, 3)]), exports.Cells(COLUMNS, {"u1": "张三"}), "客户")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["客户", "客户(2)", "客户(3)"]
    first = [list(r) for r in book["客户"].iter_rows(values_only=True)]
    assert first[0] == ["客户名称", "金额", "日期", "创建时间", "负责人"]
    name, total, day, at, owner = first[1]
    assert (name, total, day.isoformat(), at.isoformat(), owner) == (
        "客户0", 1234.5, "2026-03-02T00:00:00", "2026-03-02T09:30:00", "张三")
    names = [r[0] for sheet in book.worksheets for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == [f"客户{i}" for i in range(5)]


def test_an_empty_export_is_a_workbook_with_its_header(tmp_path):
    path = tmp_path / "empty.xlsx"
    exports.write_xlsx(str(path), Pages([[]]), exports.Cells(COLUMNS, {}), "客户")
    assert [list(r) for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)] == [
        ["客户名称", "金额", "日期", "创建时间", "负责人"]]


def test_the_file_name_is_chinese_with_an_ascii_fallback():
    name, ascii_name = exports.file_name(exports.LISTS["orders"], "xlsx")
    assert name.startswith("销售订单_") and ascii_name.startswith("orders_") and ascii_name.isascii()
    header = exports.disposition(name, ascii_name)
    assert header == f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
    assert header.isascii()


def test_an_imported_sheet_becomes_chunks_with_its_header():
    sheet = [["客户名称", "电话", None, None], [None, "", None], ["甲", 138.0, None], ["乙", None, None, None]]
    chunks = list(imports.chunks(iter([[imports._cell(v) for v in r] for r in sheet])))
    assert chunks == [(1, "客户名称,电话\r\n甲,138\r\n乙,\r\n")]
    assert imports._cell(13812345678.0) == "13812345678"


def test_chunks_stop_at_the_row_limit_and_count_rows_across_them(monkeypatch):
    monkeypatch.setattr(imports, "CHUNK_ROWS", 2)
    chunks = list(imports.chunks(iter([["name"], ["a"], ["b"], [""], ["c"]])))
    assert chunks == [(1, "name\r\na\r\nb\r\n"), (3, "name\r\nc\r\n")]


def test_a_file_without_a_header_is_refused():
    with pytest.raises(InvalidInput):
        list(imports.chunks(iter([["", ""]])))


def test_gb18030_csv_is_read_as_excel_wrote_it(tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("客户名称\n国标\n".encode("gb18030"))
    assert list(imports.csv_rows(str(path))) == [["客户名称"], ["国标"]]
    path.write_bytes("\ufeff客户名称\n统一码\n".encode())
    assert list(imports.csv_rows(str(path))) == [["客户名称"], ["统一码"]]
