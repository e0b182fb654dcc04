"""The customer group tree's rules (客户群). Pure."""
MAX_DEPTH = 3
SEPARATOR = "/"
MAX_NAME = 50


def name_errors(name: str) -> list[str]:
    """A group's name is one level of a path: no separator, not blank."""
    if not name.strip():
        return ["A name is required."]
    if SEPARATOR in name:
        return [f"A group's name cannot hold '{SEPARATOR}'."]
    if len(name) > MAX_NAME:
        return [f"At most {MAX_NAME} characters."]
    return []


def child_path(parent_path: str | None, name: str) -> str:
    return name if parent_path is None else f"{parent_path}{SEPARATOR}{name}"


def child_depth(parent_depth: int | None) -> int:
    return 1 if parent_depth is None else parent_depth + 1


def too_deep(depth: int) -> bool:
    return depth > MAX_DEPTH


def split_path(text: str) -> list[str] | None:
    """The names of a typed path ("华东 / 大客户" → ["华东", "大客户"]); None if it cannot be one."""
    names = [part.strip() for part in text.split(SEPARATOR)]
    if not names or len(names) > MAX_DEPTH or any(not n or len(n) > MAX_NAME for n in names):
        return None
    return names


def tree_from_paths(paths) -> list[tuple[str, str | None, str, int]]:
    """(path, parent path, name, depth) of every node the given paths need, parents first; the
    migration builds the tree from the customers' free-text paths this way. Paths that cannot be
    one (too deep, blank levels) are left out."""
    nodes = {}
    for text in paths:
        names = split_path(text or "")
        if names is None:
            continue
        for depth in range(1, len(names) + 1):
            path = SEPARATOR.join(names[:depth])
            parent = SEPARATOR.join(names[:depth - 1]) or None
            nodes.setdefault(path, (path, parent, names[depth - 1], depth))
    return sorted(nodes.values(), key=lambda node: (node[3], node[0]))
