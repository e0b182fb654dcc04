"""The customer group tree as the console and the customer writes read it (客户群)."""
from sqlalchemy import select

from crm_common.errors import InvalidInput, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import is_uuid
from crm_common.validation import load_query
from crm_customers.groups import rules
from crm_customers.groups.models import CustomerGroup
from crm_customers.groups.schemas import GroupListQuery, GroupOut


def tree(uow, principal: Principal, query) -> dict:
    """Every node by path, so parents come before their children (a path sorts before the paths it
    prefixes) and head office can merge branches' trees by it; the console nests them by parent_id.
    Paged like every list (sort `path` only)."""
    principal.require("customers.read")
    q = load_query(GroupListQuery(), query)
    stmt = select(CustomerGroup)
    if not q["include_retired"]:
        stmt = stmt.where(CustomerGroup.active)
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, CustomerGroup.id, q, {"path": CustomerGroup.path}, "path")
        return {"items": GroupOut(many=True).dump(rows), "next_cursor": cursor}


def find(session, group_id, *, for_update=False) -> CustomerGroup:
    group = session.get(CustomerGroup, str(group_id), with_for_update=for_update) if is_uuid(str(group_id)) else None
    if group is None:
        raise NotFound("No such customer group")
    return group


def assign(session, data: dict, current_group_id: str | None = None) -> None:
    """`group_id` of a customer write, checked, with its name path as `group_path` (which the
    `group` filter reads). A retired group is refused unless the customer is in it already."""
    if "group_id" not in data:
        return
    group_id = data["group_id"] = None if data["group_id"] is None else str(data["group_id"])
    if group_id is None:
        data["group_path"] = None
        return
    group = session.get(CustomerGroup, group_id)
    if group is None:
        raise InvalidInput("Unknown customer group", {"group_id": ["Unknown customer group."]})
    if not group.active and group_id != current_group_id:
        raise InvalidInput("This customer group is retired", {"group_id": ["This customer group is retired."]})
    data["group_path"] = group.path


def active_paths(session) -> dict[str, str]:
    """path → id of every active group: an import resolves the paths its rows type with it."""
    return dict(session.execute(select(CustomerGroup.path, CustomerGroup.id).where(CustomerGroup.active)).all())


def import_errors(data: dict, paths: dict[str, str]) -> dict:
    """An import row's group: `group_id`, or the path its `group_path` cell types ("华东/大客户",
    spaces around '/' allowed), as an active group of `paths` (active_paths)."""
    if data.get("group_id") is not None:
        data["group_id"] = str(data["group_id"])
        path = next((p for p, i in paths.items() if i == data["group_id"]), None)
        if path is None:
            return {"group_id": ["Unknown or retired customer group."]}
        data["group_path"] = path
        return {}
    text = data.get("group_path")
    if text is None:
        return {}
    names = rules.split_path(text)
    path = names and rules.SEPARATOR.join(names)
    if path not in paths:
        return {"group_path": ["No active customer group has this path."]}
    data["group_path"], data["group_id"] = path, paths[path]
    return {}
