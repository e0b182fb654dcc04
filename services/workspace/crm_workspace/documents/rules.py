"""Pure rules of document sharing: a share names one user or one department (and the departments
under it), and sharing the same way twice adds nothing."""
from crm_workspace.announcements.rules import normalise_audience


def shares_to_add(existing, user_ids, department_paths) -> list[tuple[str | None, str | None]]:
    """The (user_id, department_path) pairs still missing from `existing`, in the order asked."""
    have = set(existing)
    wanted = [(str(u), None) for u in dict.fromkeys(user_ids)]
    wanted += [(None, p) for p in normalise_audience(department_paths)]
    return [pair for pair in wanted if pair not in have]
