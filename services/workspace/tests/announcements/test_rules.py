"""Who an announcement reaches: the ancestor-path rule must equal the spec's prefix rule."""
import itertools

import pytest

from crm_workspace.announcements.rules import AUDIENCE_PATH, ancestor_paths, normalise_audience, reaches

SALES, EAST, WEST = "/hq/sales/", "/hq/sales/east/", "/hq/sales/west/"


def test_ancestor_paths_include_root_and_self():
    assert ancestor_paths("/hq/sales/east/") == ["/", "/hq/", "/hq/sales/", "/hq/sales/east/"]
    assert ancestor_paths("/") == ["/"]


def test_ancestor_paths_tolerate_a_missing_trailing_slash():
    assert ancestor_paths("/hq/sales") == ["/", "/hq/", "/hq/sales/"]


def test_empty_audience_reaches_everyone():
    assert reaches(EAST, [])


def test_department_audience_reaches_its_sub_departments_only():
    assert reaches(SALES, [SALES])
    assert reaches(EAST, [SALES])
    assert not reaches("/hq/", [SALES])
    assert not reaches("/hq/finance/", [SALES])


def test_sibling_with_common_name_prefix_is_not_reached():
    assert not reaches("/hq/sales-2/", [SALES])
    assert not reaches("/hq/salesx/east/", ["/hq/sales/"])


def test_any_audience_entry_is_enough():
    assert reaches(WEST, [EAST, WEST])
    assert not reaches("/hq/finance/", [EAST, WEST])


@pytest.mark.parametrize("user_path", ["/", "/hq/", SALES, EAST, WEST, "/hq/sales-2/", "/other/x/"])
def test_equals_prefix_rule_for_well_formed_paths(user_path):
    candidates = ["/", "/hq/", SALES, EAST, "/hq/sales-2/", "/other/"]
    for size in range(3):
        for audience in itertools.combinations(candidates, size):
            expected = not audience or any(user_path.startswith(a) for a in audience)
            assert reaches(user_path, list(audience)) is expected, audience


@pytest.mark.parametrize("path", ["/", "/a/", "/0c9c0f64-2d1e-4b55-9a43-8b7a0d1b1e01/b/"])
def test_well_formed_audience_paths(path):
    assert AUDIENCE_PATH.match(path)


@pytest.mark.parametrize("path", ["", "a/", "/a", "//", "/a//b/", "/a b/", "/a/b"])
def test_malformed_audience_paths(path):
    assert not AUDIENCE_PATH.match(path)


def test_normalise_audience_drops_duplicates_keeping_order():
    assert normalise_audience([WEST, EAST, WEST]) == [WEST, EAST]
