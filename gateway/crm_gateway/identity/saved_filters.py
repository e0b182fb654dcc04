"""Saved filters (场景, CUS-16): each user keeps named queries per list, for themselves only.

The gateway keeps them beside the user (a preference, not business data): a filter is the list's
query string as the client sends it, and the list's own validation judges it when it is used.
"""
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput, NotFound
from crm_common.pagination import ListQuery, keyset_page
from crm_common.principal import Principal
from crm_common.records import is_uuid
from crm_common.validation import StrictSchema, load_body, load_query
from crm_gateway.identity.models import SavedFilter

LIST = validate.Regexp(r"^[a-z][a-z0-9_-]{0,39}$", error="A list name: customers, pool, orders, …")
MAX_PER_LIST = 100


class SavedFilterIn(StrictSchema):
    list = fields.String(required=True, validate=LIST)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    query = fields.Dict(keys=fields.String(validate=validate.Length(min=1, max=60)),
                        values=fields.String(validate=validate.Length(max=500)), required=True,
                        validate=validate.Length(max=50))


class SavedFilterQuery(ListQuery):
    list = fields.String(validate=LIST)


class SavedFilterOut(Schema):
    id = fields.String()
    list = fields.String()
    name = fields.String()
    query = fields.Dict(keys=fields.String(), values=fields.String())
    created_at = fields.DateTime()


SORTS = {"name": SavedFilter.name, "created_at": SavedFilter.created_at}


def list_(session_factory, principal: Principal, query) -> dict:
    q = load_query(SavedFilterQuery(), query)
    stmt = select(SavedFilter).where(SavedFilter.user_id == principal.user_id)
    if "list" in q:
        stmt = stmt.where(SavedFilter.list == q["list"])
    with session_factory() as session:
        rows, cursor = keyset_page(session, stmt, SavedFilter.id, q, SORTS, "name")
        return {"items": SavedFilterOut(many=True).dump(rows), "next_cursor": cursor}


def create(session_factory, principal: Principal, payload) -> dict:
    data = load_body(SavedFilterIn(), payload)
    try:
        with session_factory() as session, session.begin():
            held = session.execute(select(func.count()).where(
                SavedFilter.user_id == principal.user_id, SavedFilter.list == data["list"])).scalar()
            if held >= MAX_PER_LIST:
                raise InvalidInput("Too many saved filters", {"list": [f"At most {MAX_PER_LIST} per list."]})
            saved = SavedFilter(id=new_id(), user_id=principal.user_id, **data)
            session.add(saved)
            session.flush()
            return SavedFilterOut().dump(saved)
    except IntegrityError:
        raise Conflict("You already have a saved filter of this name on this list") from None


def delete(session_factory, principal: Principal, filter_id) -> None:
    with session_factory() as session, session.begin():
        saved = session.get(SavedFilter, str(filter_id)) if is_uuid(filter_id) else None
        if saved is None or saved.user_id != principal.user_id:  # another's: as if it did not exist
            raise NotFound("Saved filter not found")
        session.delete(saved)
