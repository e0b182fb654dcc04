"""The function permissions a role can grant, and how several roles combine.

Combining rule: a user with several roles gets the union of their permissions and the widest
of their data scopes (own < department < subtree < branch < all).
"""
from crm_common.principal import SCOPES

PERMISSIONS = frozenset({
    "customers.read", "customers.write", "customers.delete",
    "products.read", "products.write",
    "orders.read", "orders.write", "orders.approve", "approval_flows.read", "approval_flows.write",
    "contracts.read", "contracts.write", "contracts.approve", "targets.write",
    "opportunities.read", "opportunities.write", "opportunities.admin", "competitors.write",
    "campaigns.read", "campaigns.write",
    "fulfilments.read", "shipments.read", "shipments.write",
    "receivables.read", "receipts.read", "receipts.write",
    "announcements.read", "announcements.write", "notifications.read",
    "admin.departments", "admin.users", "admin.roles", "admin.events",
})


def combine(roles) -> tuple[frozenset, str]:
    permissions = frozenset(p for role in roles for p in role.permissions)
    scope = max((role.data_scope for role in roles), key=SCOPES.index, default="own")
    return permissions, scope
