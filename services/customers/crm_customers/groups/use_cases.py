"""The customer group tree, written by whoever keeps the dictionaries (客户群)."""
from sqlalchemy import func, select, text, update

from crm_common.database import new_id
from crm_common.errors import Conflict, InvalidInput
from crm_common.principal import Principal
from crm_common.validation import NoInput, load_body
from crm_customers.groups import rules
from crm_customers.groups.models import CustomerGroup
from crm_customers.groups.queries import find
from crm_customers.groups.schemas import GroupIn, GroupOut, GroupRename

ADMIN = "admin.dictionaries"  # the permission of the other dictionaries (gateway /dictionaries)


def _check_name(name: str) -> str:
    errors = rules.name_errors(name)
    if errors:
        raise InvalidInput("Not a group name", {"name": errors})
    return name.strip()


def _check_free(session, path: str) -> None:
    # retired siblings keep their name: a path names one group for good
    if session.scalar(select(func.count()).where(CustomerGroup.path == path)):
        raise InvalidInput("A sibling group has this name", {"name": ["A sibling group has this name."]})


def create(uow, principal: Principal, payload) -> dict:
    principal.require(ADMIN)
    data = load_body(GroupIn(), payload)
    name = _check_name(data["name"])
    with uow:
        parent = None
        if data["parent_id"] is not None:
            parent = uow.session.get(CustomerGroup, str(data["parent_id"]), with_for_update=True)
            if parent is None or not parent.active:
                raise InvalidInput("Unknown parent group", {"parent_id": ["Unknown or retired customer group."]})
        depth = rules.child_depth(parent and parent.depth)
        if rules.too_deep(depth):
            raise InvalidInput("Too deep", {"parent_id": [f"Groups have at most {rules.MAX_DEPTH} levels."]})
        path = rules.child_path(parent and parent.path, name)
        _check_free(uow.session, path)
        group = CustomerGroup(id=new_id(), parent_id=parent and parent.id, name=name, path=path, depth=depth,
                              active=True)
        uow.session.add(group)
        uow.session.flush()
        return GroupOut().dump(group)


# a rename changes the paths below it and the customers' copies, in two statements
_MOVE_PATHS = """UPDATE customer_groups SET path = :new || substr(path, length(:old) + 1), updated_at = now()
                  WHERE path LIKE :prefix"""
_CUSTOMER_PATHS = """UPDATE customers c SET group_path = g.path FROM customer_groups g
                      WHERE c.group_id = g.id AND (g.id = :id OR g.path LIKE :new_prefix)
                        AND c.group_path IS DISTINCT FROM g.path"""


def _like_prefix(path: str) -> str:
    return path.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + rules.SEPARATOR + "%"


def rename(uow, principal: Principal, group_id, payload) -> dict:
    principal.require(ADMIN)
    name = _check_name(load_body(GroupRename(), payload)["name"])
    with uow:
        group = find(uow.session, group_id, for_update=True)
        if name == group.name:
            return GroupOut().dump(group)
        old = group.path
        new = rules.child_path(old.rpartition(rules.SEPARATOR)[0] or None, name)
        _check_free(uow.session, new)
        group.name, group.path = name, new
        uow.session.flush()
        uow.session.execute(text(_MOVE_PATHS), {"new": new, "old": old, "prefix": _like_prefix(old)})
        uow.session.execute(text(_CUSTOMER_PATHS), {"id": group.id, "new_prefix": _like_prefix(new)})
        return GroupOut().dump(group)


def retire(uow, principal: Principal, group_id, payload=None) -> dict:
    """The group and every group below it: no longer offered nor accepted on customer writes;
    the customers in them keep their group and path, and the filter still finds them."""
    principal.require(ADMIN)
    load_body(NoInput(), payload or {})
    with uow:
        group = find(uow.session, group_id, for_update=True)
        if not group.active:
            raise Conflict("This customer group is retired already", {"active": False})
        uow.session.execute(update(CustomerGroup).where(
            (CustomerGroup.id == group.id) | CustomerGroup.path.like(_like_prefix(group.path)))
            .values(active=False).execution_options(synchronize_session=False))
        uow.session.refresh(group)
        return GroupOut().dump(group)
