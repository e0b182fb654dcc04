"""Finding one record under a visibility condition: absent and invisible both answer 404."""
from sqlalchemy import select

from crm_common.errors import NotFound
from crm_common.records import is_uuid


def find_visible(session, model, record_id, condition, *, label=None, for_update=False):
    label = label or model.__name__
    if not is_uuid(record_id):
        raise NotFound(f"{label} not found")
    stmt = select(model).where(model.id == str(record_id), condition)
    if for_update:
        stmt = stmt.with_for_update()
    record = session.execute(stmt).scalar_one_or_none()
    if record is None:
        raise NotFound(f"{label} not found")
    return record


def apply_patch(record, data: dict) -> None:
    for key, value in data.items():
        setattr(record, key, value)
