"""Who an announcement reaches, as pure rules on department paths.

Department paths look like "/<uuid>/<uuid>/": every ancestor is a prefix ending in "/". An
announcement addressed to a department reaches its sub-departments too, so "the user's path
starts with an audience path" is the same as "an audience path is one of the user's ancestor
paths". The second form lets PostgreSQL answer with an indexable array overlap (`&&`) instead
of a LIKE per audience entry.
"""
import re

# Leading and trailing "/" and no empty segment: without the trailing slash "/a/b" would
# wrongly reach "/a/bc/" by plain prefix.
AUDIENCE_PATH = re.compile(r"^/(?:[^/\s]+/)*$")


def ancestor_paths(department_path: str) -> list[str]:
    """"/a/b/" -> ["/", "/a/", "/a/b/"]: the department itself and every department above it."""
    paths, current = ["/"], "/"
    for segment in (s for s in department_path.split("/") if s):
        current += segment + "/"
        paths.append(current)
    return paths


def normalise_audience(paths) -> list[str]:
    """Drop duplicates, keep the author's order (it is shown back as entered)."""
    return list(dict.fromkeys(paths))


def reaches(department_path: str, audience) -> bool:
    """The in-memory twin of the SQL rule in queries.visible_to (empty = everyone)."""
    return not audience or not set(audience).isdisjoint(ancestor_paths(department_path))
