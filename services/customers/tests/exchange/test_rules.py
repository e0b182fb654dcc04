"""CSV rows of an import and the job's life cycle (pure, plus the row schema)."""
import pytest

from crm_common.statemachine import TransitionNotAllowed
from crm_customers.exchange.rules import IMPORT_JOB, read_chunk
from crm_customers.exchange.schemas import parse

DEFS = {"since": {"type": "date", "options": [], "required": False},
        "areas": {"type": "multi_select", "options": ["east", "west"], "required": False}}


def test_csv_rows_report_per_row():
    body = 'name,tags,cf.areas\n"天马, 上海",a|b,east|west\n,,\nx,y,z,extra\n'
    rows = list(read_chunk(body, 7))
    assert [number for number, _ in rows] == [7, 8, 9]
    data, errors = parse(rows[0][1], DEFS)
    assert errors == {} and data["name"] == "天马, 上海" and data["tags"] == ["a", "b"]
    assert data["custom"] == {"areas": ["east", "west"]}
    assert "name" in parse(rows[1][1], {})[1]
    assert parse(rows[2][1], {})[1] == {"_row": ["More cells than columns."]}


def test_a_started_import_takes_no_more_rows_and_cannot_start_again():
    assert IMPORT_JOB.next_status("uploading", "upload") == "uploading"
    assert IMPORT_JOB.next_status("uploading", "start") == "queued"
    for status in ("queued", "running", "done", "failed"):
        for action in ("upload", "start"):
            with pytest.raises(TransitionNotAllowed):
                IMPORT_JOB.next_status(status, action)
