from types import SimpleNamespace

from crm_gateway.identity.permissions import combine


def role(permissions, scope, overrides=None):
    return SimpleNamespace(permissions=permissions, data_scope=scope, scope_overrides=overrides or {})


def test_no_roles_means_nothing_and_own_scope():
    assert combine([]) == (frozenset(), "own", {})


def test_union_of_permissions_and_widest_default_scope():
    permissions, scope, scopes = combine([role(["customers.read"], "own"), role(["orders.read"], "department")])
    assert permissions == {"customers.read", "orders.read"} and scope == "department"
    assert scopes == {"customers.read": "own"}  # only the role granting it counts for its scope


def test_read_the_department_edit_only_ones_own():
    rep = role(["customers.read", "customers.write"], "own", {"customers.read": "department"})
    permissions, scope, scopes = combine([rep])
    assert scope == "own" and scopes == {"customers.read": "department"}


def test_a_second_role_widens_one_action_only():
    rep = role(["customers.read", "customers.write"], "own", {"customers.read": "department"})
    auditor = role(["customers.read"], "branch")
    _, scope, scopes = combine([rep, auditor])
    assert scope == "branch"
    assert scopes == {"customers.write": "own"}  # read is branch-wide (the default), write stays own
