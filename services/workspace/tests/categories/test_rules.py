"""Pure rules of category trees: paths and depth."""
from crm_workspace.categories.rules import MAX_DEPTH, child_path, too_deep


def test_a_root_path_is_its_own_id_and_a_child_extends_its_parent():
    assert child_path(None, "a") == "/a/"
    assert child_path("/a/", "b") == "/a/b/"


def test_depth_counts_the_ids_in_the_parents_path():
    path = None
    for level in range(MAX_DEPTH - 1):
        path = child_path(path, f"c{level}")
    assert not too_deep(path)
    assert too_deep(child_path(path, "last"))
