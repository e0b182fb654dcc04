"""A customer import's life cycle and the reading of its CSV (CUS-12). Pure."""
import csv
import io

from crm_common.statemachine import StateMachine

# What a client may do with its job. The service then takes it (queued → running) with SKIP
# LOCKED in one statement and ends it done or failed (use_cases.process_next).
IMPORT_JOB = StateMachine("CSV import", {
    "upload": (("uploading",), "uploading"),  # one more chunk
    "start": (("uploading",), "queued"),
})


# The import's columns with the Chinese headers of the template and the export; a file may name
# a column either way.
HEADERS = {"code": "客户编号", "kind": "客户类型", "name": "客户名称", "short_name": "简称", "industry": "行业",
           "source": "客户来源", "value_level": "价值等级", "province": "省份", "city": "城市", "district": "区县",
           "address": "地址", "phone": "电话", "email": "邮箱", "website": "网址", "group_path": "客户群",
           "tags": "标签", "notes": "备注"}
# What the export adds for reading; an edited export imported back ignores them (the owner and the
# status are the server's, so only these Chinese headers are accepted, never `owner_id`).
READ_ONLY_HEADERS = {"status": "状态", "owner_id": "负责人", "created_at": "创建时间"}
_KEY_OF = {label: key for key, label in HEADERS.items()}
_IGNORED = set(READ_ONLY_HEADERS.values())
IGNORED = "__ignored__"


def column_key(header: str) -> str:
    """The import key a header names (a key, a Chinese header or `cf.<key>`), or IGNORED."""
    header = header.lstrip("\ufeff").strip()  # a BOM Excel left in front of the first header
    if header in _IGNORED:
        return IGNORED
    return _KEY_OF.get(header, header)


def read_chunk(body: str, first_row: int):
    """Yield (row number, dict of non-empty cells) for each data line of one CSV chunk."""
    reader = csv.reader(io.StringIO(body))
    header = [column_key(h) for h in next(reader, [])]
    for offset, cells in enumerate(cells for cells in reader if cells):  # blank lines are no rows
        number = first_row + offset
        if len(cells) > len(header):  # more cells than headers
            yield number, {"__extra__": cells[len(header):]}
            continue
        yield number, {k: v.strip() for k, v in zip(header, cells, strict=False)
                       if k and k != IGNORED and v.strip() != ""}  # fewer cells: the rest are empty
