"""The gateway's own routes: login and tokens, departments, roles, users, dead letters (ADM-*)."""
from crm_common import field_policy
from crm_common.errors import CrmError, InvalidInput
from crm_common.api_contract import Contract
from crm_common.principal import in_scope
from crm_common.validation import load_body
from crm_gateway import admin_events, approval_flows, dictionary, numbering, operation_log, reference
from crm_gateway import api_schemas as out
from crm_gateway.identity import api_keys, auth, company, directory, login_log
from crm_gateway.identity import schemas as identity
from crm_gateway.routes.base import Route, resolved_user


def _update_user(c) -> dict:
    """Disabling a departed user (离职) also offers handing their customers to someone (ADM-02)."""
    user = directory.update_user(c.db, c.principal, c.params["id"], c.body(), approval_flows.people_sync(c))
    if c.body().get("active") is False:
        try:
            owned = c.call("customers", "list_customers", [{"owner_id": user["id"], "limit": "200"}])["items"]
            count = len(owned)
        except CrmError:  # the offer is a convenience: the user is disabled either way
            count = None
        user["transfer_customers"] = {
            "customers_owned": count, "at_least": count == 200,  # the first page was full
            "method": "POST", "href": "/api/v1/customers/transfer-all",
            "body": {"from_user_id": user["id"], "to_user_id": None}}
        # everything else they own too, in one action (docs/handover.md)
        user["hand_over"] = {"method": "POST", "href": f"/api/v1/users/{user['id']}/hand-over",
                             "body": {"to_user_id": None}}
    return user


def _hand_over(c) -> dict:
    """Disable a departing user (离职) and hand everything they own to a colleague, in one action:
    the customers service moves the customers and tells every other service (docs/handover.md).
    The user is disabled first: a retry after a failed hand-over only moves what is left."""
    to_user_id = load_body(out.HandOverIn(), c.body())["to_user_id"]
    directory.get_user(c.db, c.principal, c.params["id"])  # 404 before anything else is judged
    receiver = resolved_user(c, to_user_id, "to_user_id")
    # refused before anything changes (the customers service checks the same again)
    if not receiver["active"] or receiver["id"] == c.params["id"]:
        raise InvalidInput("The receiver must be another active user", {"to_user_id": ["Inactive or the same user."]})
    if not in_scope(c.principal, receiver["id"], receiver["department_path"], receiver["branch"]):
        raise InvalidInput("The receiver is outside your data scope", {"to_user_id": ["Out of your scope."]})
    directory.update_user(c.db, c.principal, c.params["id"], {"active": False})
    return c.call("customers", "start_handover", [{"from": resolved_user(c, c.params["id"], "id"), "to": receiver}])


def _login(c):
    if c.entry is not None:  # failed and throttled logins show in the operation log under the user code
        c.entry.target_id = str(c.body().get("username", ""))[:100] or None
    return auth.tokens_answer(auth.login(c.db, c.body(), c.client_ip, c.request.headers.get("User-Agent")),
                              auth.wants_cookie(c.body()))


def _refresh(c):
    """A token from the cookie is rotated in the cookie; one from the body comes back in the body."""
    from_cookie = "refresh_token" not in c.body()
    cookie = c.request.cookies.get(auth.REFRESH_COOKIE) if from_cookie else None
    return auth.tokens_answer(auth.refresh(c.db, c.body(), cookie), as_cookie=from_cookie)


def _logout(c):
    auth.logout(c.db, c.principal, c.body(), c.request.cookies.get(auth.REFRESH_COOKIE))
    return auth.cleared_cookie()


ROUTES = [
    Route("POST", "/auth/login", None, local=_login, public=True,
          contract=Contract(body=identity.LoginIn, returns=out.TokensOut)),
    Route("POST", "/auth/refresh", None, local=_refresh, public=True,
          contract=Contract(body=identity.RefreshIn, returns=out.TokensOut)),
    Route("POST", "/auth/logout", None, 204, revokes_tokens=True, local=_logout,
          contract=Contract(body=identity.RefreshIn)),
    Route("POST", "/auth/password", None, revokes_tokens=True,
          local=lambda c: auth.change_password(c.db, c.principal, c.body()),
          contract=Contract(body=identity.PasswordChangeIn, returns=out.PasswordChangedOut)),
    Route("GET", "/me", None, local=lambda c: auth.me(c.db, c.principal), contract=Contract(returns=out.MeOut)),
    # the login log (登录日志): one's own, or, for an administrator, any user's of their branch
    Route("GET", "/me/logins", None, local=lambda c: login_log.mine(c.db, c.principal, c.query()),
          contract=Contract(query=login_log.LoginLogQuery, returns=login_log.LoginRecordOut, page=True)),
    Route("GET", "/users/<id>/logins", "admin.users",
          local=lambda c: login_log.of_user(c.db, c.principal, c.params["id"], c.query()),
          contract=Contract(query=login_log.LoginLogQuery, returns=login_log.LoginRecordOut, page=True)),
    Route("GET", "/departments", "admin.departments", local=lambda c: directory.list_departments(c.db, c.principal),
          contract=Contract(returns=identity.DepartmentOut, page=True)),
    Route("POST", "/departments", "admin.departments", 201,
          local=lambda c: directory.create_department(c.db, c.principal, c.body()),
          contract=Contract(body=identity.DepartmentIn, returns=identity.DepartmentOut)),
    Route("GET", "/departments/<id>", "admin.departments",
          local=lambda c: directory.get_department(c.db, c.principal, c.params["id"]),
          contract=Contract(returns=identity.DepartmentOut)),
    Route("PATCH", "/departments/<id>", "admin.departments",
          local=lambda c: directory.update_department(c.db, c.principal, c.params["id"], c.body()),
          contract=Contract(body=identity.DepartmentUpdate, returns=identity.DepartmentOut)),
    # the fields whose permission a role can set (the 字段权限 matrix's rows)
    Route("GET", "/field-permissions", "admin.roles",
          local=lambda c: {"items": field_policy.catalogue(), "next_cursor": None},
          contract=Contract(returns=identity.GovernedFieldOut, page=True)),
    Route("POST", "/departments/<id>/move", "admin.departments", revokes_tokens=True,
          local=lambda c: directory.move_department(
              c.db, c.principal, c.params["id"], c.body(),
              announce=lambda move: c.call("customers", "move_department", [move])),
          contract=Contract(body=identity.DepartmentMoveIn, returns=identity.DepartmentOut)),
    Route("GET", "/roles", "admin.roles", local=lambda c: directory.list_roles(c.db, c.principal),
          contract=Contract(returns=identity.RoleOut, page=True)),
    Route("POST", "/roles", "admin.roles", 201, local=lambda c: directory.create_role(c.db, c.principal, c.body()),
          contract=Contract(body=identity.RoleIn, returns=identity.RoleOut)),
    Route("GET", "/roles/<id>", "admin.roles", local=lambda c: directory.get_role(c.db, c.principal, c.params["id"]),
          contract=Contract(returns=identity.RoleOut)),
    Route("PATCH", "/roles/<id>", "admin.roles",
          local=lambda c: directory.update_role(c.db, c.principal, c.params["id"], c.body()),
          contract=Contract(body=identity.RoleIn, partial=True, returns=identity.RoleOut)),
    Route("GET", "/users", "admin.users", local=lambda c: directory.list_users(c.db, c.principal, c.query()),
          contract=Contract(query=identity.UserListQuery, returns=identity.UserOut, page=True)),
    Route("POST", "/users", "admin.users", 201,
          local=lambda c: directory.create_user(c.db, c.principal, c.body(), approval_flows.people_sync(c)),
          contract=Contract(body=identity.UserIn, returns=identity.UserOut)),
    Route("GET", "/users/<id>", "admin.users", local=lambda c: directory.get_user(c.db, c.principal, c.params["id"]),
          contract=Contract(returns=identity.UserOut)),
    Route("PATCH", "/users/<id>", "admin.users", revokes_tokens=True, local=lambda c: _update_user(c),
          contract=Contract(body=identity.UserUpdate, returns=identity.UserOut)),
    Route("POST", "/users/<id>/hand-over", "admin.users", 202, revokes_tokens=True, local=_hand_over,
          contract=Contract(body=out.HandOverIn, returns="customers.start_handover")),
    Route("GET", "/hand-overs/<id>", "admin.users", rpc="customers.get_handover"),
    Route("POST", "/users/<id>/unlock-login", "admin.users",
          local=lambda c: auth.unlock(c.db, c.principal, c.params["id"]),
          contract=Contract(returns=out.LoginUnlockedOut)),
    Route("GET", "/admin/dead-letters", "admin.events", local=lambda c: admin_events.list_dead_letters(c),
          contract=Contract(returns=out.DeadLettersOut)),
    Route("POST", "/admin/dead-letters/<service>/<id>/replay", "admin.events",
          local=lambda c: admin_events.replay_dead_letter(c), contract=Contract(returns=out.ReplayedOut)),
    Route("GET", "/branches", "admin.events", local=lambda c: company.with_names(c.db, c.branches.status()),
          contract=Contract(returns=out.BranchOut, page=True)),
    Route("PUT", "/branches/<branch>", company.PERMISSION,
          local=lambda c: company.set_name(c.db, c.principal, c.branches.clients, c.params["branch"], c.body()),
          contract=Contract(body=identity.CompanyNameIn, returns=identity.BranchNameOut)),
    Route("GET", "/admin/numbering-rules/<branch>", numbering.PERMISSION, local=numbering.list_rules,
          contract=Contract(returns="sales.list_numbering_rules")),
    Route("PUT", "/admin/numbering-rules/<branch>/<document_type>", numbering.PERMISSION,
          local=numbering.set_rule, contract="sales.set_numbering_rule"),
    Route("POST", "/admin/numbering-rules/<branch>/<document_type>/preview", numbering.PERMISSION,
          local=numbering.preview_rule, contract="sales.preview_numbering_rule"),
    Route("GET", "/operation-log", "admin.audit",
          local=lambda c: operation_log.query(c.db, c.principal, c.query()),
          contract=Contract(query=operation_log.OperationLogQuery, returns=operation_log.OperationLogOut, page=True)),
    Route("GET", "/api-keys", "admin.api_keys", local=lambda c: api_keys.list_(c.db, c.principal),
          contract=Contract(returns=api_keys.ApiKeyOut, page=True)),
    Route("POST", "/api-keys", "admin.api_keys", 201, local=lambda c: api_keys.create(c.db, c.principal, c.body()),
          contract=Contract(body=api_keys.ApiKeyIn, returns=api_keys.NewApiKeyOut)),
    Route("DELETE", "/api-keys/<id>", "admin.api_keys", 204,
          local=lambda c: api_keys.revoke(c.db, c.principal, c.params["id"]), contract=Contract()),
    Route("GET", "/dictionaries", None, local=lambda c: dictionary.kinds(c.db),
          contract=Contract(returns=out.DictionaryKindOut, page=True)),
    Route("GET", "/dictionaries/<kind>", None,
          local=lambda c: dictionary.entries(c.db, c.params["kind"], c.query()),
          contract=Contract(query=dictionary.EntriesQuery, returns=dictionary.EntryOut, page=True)),
    Route("PUT", "/dictionaries/<kind>/<code>", "admin.dictionaries", changes_dictionary=True,
          local=lambda c: dictionary.put(c.db, c.principal, c.params["kind"], c.params["code"], c.body()),
          contract=Contract(body=dictionary.EntryIn, returns=dictionary.EntryOut)),
    Route("GET", "/regions", None, local=lambda c: reference.regions(c.query()),
          contract=Contract(query=reference.RegionsQuery, returns=out.RegionOut, page=True)),
    Route("GET", "/regions/<code>", None, local=lambda c: reference.region(c.params["code"]),
          contract=Contract(returns=out.RegionDetailOut)),
    Route("GET", "/phone-regions/<number>", None, local=lambda c: reference.phone_region(c.params["number"]),
          contract=Contract(returns=out.PhoneRegionOut)),
]
