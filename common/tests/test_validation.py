"""Boundary rules every StrictSchema keeps."""
import pytest
from marshmallow import fields

from crm_common.errors import BadRequest, InvalidInput
from crm_common.pagination import ListQuery
from crm_common.validation import NoInput, StrictSchema, load_body, load_query


class Meeting(StrictSchema):
    title = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)


class MeetingQuery(ListQuery):
    since = fields.AwareDateTime()


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T20:00:00-10:00"])
def test_instants_outside_the_years_postgresql_gives_back_are_refused(moment):
    with pytest.raises(InvalidInput) as refused:
        load_body(Meeting(), {"title": "x", "starts_at": moment})
    assert refused.value.errors == {"starts_at": ["Out of range."]}
    with pytest.raises(BadRequest) as refused:
        load_query(MeetingQuery(), {"since": moment})
    assert refused.value.errors == {"since": ["Out of range."]}


def test_instants_at_the_edges_that_stay_in_range_are_kept():
    loaded = load_body(Meeting(), {"title": "x", "starts_at": "9999-12-31T20:00:00+10:00"})
    assert loaded["starts_at"].year == 9999


def test_unknown_fields_and_nul_are_refused_and_no_input_takes_nothing():
    with pytest.raises(InvalidInput) as refused:
        load_body(Meeting(), {"title": "x", "starts_at": "2026-01-01T00:00:00+08:00", "owner_id": "me"})
    assert set(refused.value.errors) == {"owner_id"}
    with pytest.raises(InvalidInput):
        load_body(Meeting(), {"title": "a\x00b", "starts_at": "2026-01-01T00:00:00+08:00"})
    assert load_body(NoInput(), {}) == {}
    with pytest.raises(InvalidInput):
        load_body(NoInput(), {"anything": 1})
