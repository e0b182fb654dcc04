"""Moving a department in the tree (ADM-02): every record under it follows to the new path.

Services scope on materialised department paths (`/root/…/dept/`), so a move rewrites the
prefix of every path below the moved department. The gateway owns the tree but has no outbox:
it asks the customers service, inside its own still-open transaction, to rewrite the customers'
paths and emit `customers.department_moved` in one transaction; every other service mixes in
`FollowsDepartmentMoves` and rewrites its own. A rewrite is a prefix replacement, so applying it
again changes nothing; the handler also runs once per event like every other.
"""
from sqlalchemy import ARRAY, MetaData, String, func, literal, text, update

from crm_common.events.handlers import handles

# Columns holding one department path (the owner's, or the one an approval step waits on).
PATH_COLUMNS = ("department_path", "target_path")
# Columns holding a list of them (an announcement's audience).
PATHS_SUFFIX = "department_paths"


def moved_path(path: str, from_path: str, to_path: str) -> str:
    """`path` after its subtree `from_path` moved to `to_path` (paths outside it stay)."""
    return to_path + path[len(from_path):] if path.startswith(from_path) else path


def is_under(path: str, ancestor: str) -> bool:
    return path.startswith(ancestor)


def rewrite_paths(session, metadata: MetaData, from_path: str, to_path: str, skip=()) -> int:
    """Rewrite every department path under `from_path` in the tables of `metadata`; rows changed.

    `skip` names tables a trigger keeps in step with another table (rewriting them too would
    count twice)."""
    rewritten = 0
    for table in metadata.sorted_tables:
        if table.name in skip:
            continue
        for column in table.c:
            if column.name in PATH_COLUMNS and isinstance(column.type, String):
                rewritten += session.execute(
                    update(table).where(column.startswith(from_path, autoescape=True))
                    .values({column.name: literal(to_path) + func.substr(column, len(from_path) + 1)})
                    .execution_options(synchronize_session=False)).rowcount
            elif column.name.endswith(PATHS_SUFFIX) and isinstance(column.type, ARRAY):
                rewritten += _rewrite_array(session, table, column, from_path, to_path)
    return rewritten


def _rewrite_array(session, table, column, from_path, to_path) -> int:
    # names come from the service's own metadata, never from a caller
    sql = text(
        f"UPDATE {table.name} SET {column.name} = ARRAY("
        f" SELECT CASE WHEN left(p, :n) = :old THEN :new || substr(p, :n + 1) ELSE p END"
        f" FROM unnest({column.name}) WITH ORDINALITY AS u(p, i) ORDER BY i)"
        f" WHERE EXISTS (SELECT 1 FROM unnest({column.name}) AS q(p) WHERE left(p, :n) = :old)")
    return session.execute(sql, {"n": len(from_path), "old": from_path, "new": to_path}).rowcount


class FollowsDepartmentMoves:
    """Mix into a service and set `department_tables` to its models' metadata."""
    department_tables: MetaData
    department_tables_skip: tuple = ()

    @handles("customers.department_moved")
    def on_department_moved(self, uow, envelope, data):
        rewrite_paths(uow.session, self.department_tables, data["from_path"], data["to_path"],
                      self.department_tables_skip)
