"""The function permissions a role can grant, and how several roles combine.

Combining rule: a user with several roles gets the union of their permissions and the widest
of their data scopes (own < department < subtree < branch < all).
"""
from crm_common.principal import SCOPES

PERMISSIONS = frozenset({
    "customers.read", "customers.write", "customers.delete",
    "products.read", "products.write",
    "orders.read", "orders.write", "orders.approve",
    "fulfilments.read", "shipments.read", "shipments.write",
    "receivables.read", "receipts.read", "receipts.write",
    # logistics and finance, issue 5
    "carriers.read", "carriers.write", "goods_returns.read", "goods_returns.write",
    "field_service.read", "field_service.write", "field_service.provider", "field_service.settle",
    "receivables.write", "invoices.read", "invoices.write", "bank_accounts.read", "bank_accounts.write",
    "payments.read", "payments.write", "finance.reports", "finance.dunning",
    "announcements.read", "announcements.write", "notifications.read",
    "admin.departments", "admin.users", "admin.roles", "admin.events",
})


def combine(roles) -> tuple[frozenset, str]:
    permissions = frozenset(p for role in roles for p in role.permissions)
    scope = max((role.data_scope for role in roles), key=SCOPES.index, default="own")
    return permissions, scope
