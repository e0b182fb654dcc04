"""The customer group tree's pure rules."""
from crm_customers.groups import rules


def test_a_name_is_one_level_of_a_path():
    assert rules.name_errors("大客户") == []
    assert rules.name_errors("  ") and rules.name_errors("华东/大客户") and rules.name_errors("x" * 51)


def test_paths_and_depths_follow_the_parent():
    assert (rules.child_path(None, "华东"), rules.child_depth(None)) == ("华东", 1)
    assert (rules.child_path("华东/上海", "大客户"), rules.child_depth(2)) == ("华东/上海/大客户", 3)
    assert not rules.too_deep(3) and rules.too_deep(4)


def test_a_typed_path_splits_into_at_most_three_names():
    assert rules.split_path(" 华东 / 大客户 ") == ["华东", "大客户"]
    assert rules.split_path("a/b/c/d") is None and rules.split_path("华东//大客户") is None


def test_the_tree_of_free_text_paths_has_every_parent_first_and_skips_what_cannot_be_one():
    assert rules.tree_from_paths(["华东/大客户", "华东 / 普通", "华北", "a/b/c/d", ""]) == [
        ("华东", None, "华东", 1), ("华北", None, "华北", 1),
        ("华东/大客户", "华东", "大客户", 2), ("华东/普通", "华东", "普通", 2)]
