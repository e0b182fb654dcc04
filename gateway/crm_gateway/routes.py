"""Every route of the public API: who may call it and what answers it.

Proxied routes map to one RPC of one service; the arguments are the path ids followed by
the JSON body (writes) or the query string (reads). Local routes are the gateway's own
identity endpoints.
"""
from dataclasses import dataclass, field
from typing import Callable

from crm_gateway import admin_events
from crm_gateway.identity import auth, directory


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    permission: str | None  # None: any authenticated caller (permission checked inside, if any)
    status: int = 200
    rpc: str | None = None  # "service.method" for proxied routes
    takes: str | None = None  # "body" or "query": what follows the path ids
    local: Callable | None = field(default=None, compare=False)
    public: bool = False


def _crud(base: str, service: str, noun: str, perm: str, *, create=True, update=True, delete=False):
    routes = [Route("GET", f"/{base}", f"{perm}.read", rpc=f"{service}.list_{noun}s", takes="query"),
              Route("GET", f"/{base}/<id>", f"{perm}.read", rpc=f"{service}.get_{noun}")]
    if create:
        routes.append(Route("POST", f"/{base}", f"{perm}.write", 201, f"{service}.create_{noun}", "body"))
    if update:
        routes.append(Route("PATCH", f"/{base}/<id>", f"{perm}.write", rpc=f"{service}.update_{noun}",
                            takes="body"))
    if delete:
        routes.append(Route("DELETE", f"/{base}/<id>", f"{perm}.delete", 204, f"{service}.delete_{noun}"))
    return routes


def _action(base: str, action: str, perm: str, rpc: str):
    return Route("POST", f"/{base}/<id>/{action}", perm, rpc=rpc, takes="body")


PROXIED = [
    *_crud("customers", "customers", "customer", "customers", delete=True),
    Route("GET", "/customers/<id>/contacts", "customers.read", rpc="customers.list_contacts", takes="query"),
    Route("POST", "/customers/<id>/contacts", "customers.write", 201, "customers.create_contact", "body"),
    *_crud("products", "sales", "product", "products"),
    *_crud("orders", "sales", "order", "orders"),
    _action("orders", "submit", "orders.write", "sales.submit_order"),
    _action("orders", "approve", "orders.approve", "sales.approve_order"),
    _action("orders", "reject", "orders.approve", "sales.reject_order"),
    _action("orders", "cancel", "orders.write", "sales.cancel_order"),
    *_crud("fulfilments", "logistics", "fulfilment", "fulfilments", create=False, update=False),
    *_crud("shipments", "logistics", "shipment", "shipments", update=False),
    *_crud("receivables", "finance", "receivable", "receivables", create=False, update=False),
    *_crud("receipts", "finance", "receipt", "receipts", update=False),
    *_crud("announcements", "workspace", "announcement", "announcements", update=False),
    Route("POST", "/announcements/<id>/read", "announcements.read", rpc="workspace.mark_announcement_read"),
    Route("GET", "/announcements/<id>/read-receipts", "announcements.read",
          rpc="workspace.announcement_read_receipts"),
    Route("GET", "/notifications", "notifications.read", rpc="workspace.list_notifications", takes="query"),
    Route("GET", "/notifications/unread-count", "notifications.read",
          rpc="workspace.unread_notification_count"),
    Route("POST", "/notifications/<id>/read", "notifications.read", rpc="workspace.mark_notification_read"),
]


LOCAL = [
    Route("POST", "/auth/login", None, local=lambda c: auth.login(c.db, c.body(), c.client_ip), public=True),
    Route("POST", "/auth/refresh", None, local=lambda c: auth.refresh(c.db, c.body()), public=True),
    Route("POST", "/auth/logout", None, 204, local=lambda c: auth.logout(c.db, c.principal, c.body())),
    Route("POST", "/auth/password", None, 204,
          local=lambda c: auth.change_password(c.db, c.principal, c.body())),
    Route("GET", "/me", None, local=lambda c: auth.me(c.db, c.principal)),
    Route("GET", "/departments", "admin.departments", local=lambda c: directory.list_departments(c.db, c.principal)),
    Route("POST", "/departments", "admin.departments", 201,
          local=lambda c: directory.create_department(c.db, c.principal, c.body())),
    Route("GET", "/departments/<id>", "admin.departments",
          local=lambda c: directory.get_department(c.db, c.principal, c.params["id"])),
    Route("PATCH", "/departments/<id>", "admin.departments",
          local=lambda c: directory.update_department(c.db, c.principal, c.params["id"], c.body())),
    Route("GET", "/roles", "admin.roles", local=lambda c: directory.list_roles(c.db, c.principal)),
    Route("POST", "/roles", "admin.roles", 201, local=lambda c: directory.create_role(c.db, c.principal, c.body())),
    Route("GET", "/roles/<id>", "admin.roles", local=lambda c: directory.get_role(c.db, c.principal, c.params["id"])),
    Route("PATCH", "/roles/<id>", "admin.roles",
          local=lambda c: directory.update_role(c.db, c.principal, c.params["id"], c.body())),
    Route("GET", "/users", "admin.users", local=lambda c: directory.list_users(c.db, c.principal, c.query())),
    Route("POST", "/users", "admin.users", 201, local=lambda c: directory.create_user(c.db, c.principal, c.body())),
    Route("GET", "/users/<id>", "admin.users", local=lambda c: directory.get_user(c.db, c.principal, c.params["id"])),
    Route("PATCH", "/users/<id>", "admin.users",
          local=lambda c: directory.update_user(c.db, c.principal, c.params["id"], c.body())),
    Route("GET", "/admin/dead-letters", "admin.events", local=lambda c: admin_events.list_dead_letters(c)),
    Route("POST", "/admin/dead-letters/<service>/<id>/replay", "admin.events",
          local=lambda c: admin_events.replay_dead_letter(c)),
]
