"""The function permissions a role can grant, and how several roles combine.

Combining rule: a user with several roles gets the union of their permissions; for each
permission, the widest scope any of their roles grants with it (a role's scope for one action
may differ from its default, e.g. read the department's customers, edit only one's own);
scopes are ordered own < department < subtree < branch < all. Field permissions combine the
same way: per field the most permissive of the roles (`crm_common.field_policy.merge`).
"""
from crm_common import field_policy
from crm_common.principal import SCOPES

PERMISSIONS = frozenset({
    "customers.read", "customers.write", "customers.delete",
    "customers.assign", "customers.merge", "customers.approve_extension", "customers.import",
    "customers.export", "customers.admin", "expenses.approve", "orders.export", "receivables.export",
    "products.read", "products.write",
    "orders.read", "orders.write", "orders.approve", "approval_flows.read", "approval_flows.write",
    "contracts.read", "contracts.write", "contracts.approve", "targets.write",
    "opportunities.read", "opportunities.write", "opportunities.admin", "competitors.write",
    "campaigns.read", "campaigns.write",
    "fulfilments.read", "shipments.read", "shipments.write",
    "receivables.read", "receipts.read", "receipts.write",
    # logistics and finance, issue 5
    "carriers.read", "carriers.write", "goods_returns.read", "goods_returns.write",
    "field_service.read", "field_service.write", "field_service.provider", "field_service.settle",
    "receivables.write", "invoices.read", "invoices.write", "bank_accounts.read", "bank_accounts.write",
    "payments.read", "payments.write", "finance.reports", "finance.dunning",
    "announcements.read", "announcements.write", "notifications.read",
    "calendar.use", "diary.use", "reminders.use", "categories.write", "calls.read", "calls.write",
    "knowledge.read", "knowledge.write", "documents.read", "documents.write",
    "sms.send", "sms.read", "sms.optouts",
    "admin.departments", "admin.users", "admin.roles", "admin.events", "admin.audit", "admin.api_keys",
    "admin.dictionaries", "admin.numbering",
    # issue 16: the full 身份证号 instead of its masked form
    "customers.view_sensitive",
})


def combine(roles) -> tuple[frozenset, str, dict]:
    """(permissions, default scope, {permission: scope} where it differs from the default)"""
    permissions = frozenset(p for role in roles for p in role.permissions)
    default = max((role.data_scope for role in roles), key=SCOPES.index, default="own")
    scopes = {}
    for permission in permissions:
        widest = max(((role.scope_overrides or {}).get(permission, role.data_scope)
                      for role in roles if permission in role.permissions), key=SCOPES.index)
        if widest != default:
            scopes[permission] = widest
    return permissions, default, scopes


def combined_fields(roles) -> dict:
    """The field rules of a user with these roles (only the fields they restrict)."""
    return field_policy.merge([role.field_rules or {} for role in roles])
