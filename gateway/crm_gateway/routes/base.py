"""What a route is, and helpers for the usual shapes of proxied routes.

Proxied routes map to one RPC of one service; the arguments are the path ids followed by
the JSON body (writes) or the query string (reads).
"""
from dataclasses import dataclass, field
from typing import Callable

from crm_common.api_contract import Contract
from crm_common.errors import InvalidInput
from crm_common.records import is_uuid
from crm_common.validation import load_body
from crm_gateway.api_schemas import MemberPutIn
from crm_gateway.identity.models import User


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
    # lists merged across branches are sorted so unless asked otherwise: the service's own default,
    # a field every item carries
    default_sort: str = "-created_at"
    report: bool = False  # a query answer that is no page: head office gets it once per branch
    revokes_tokens: bool = False  # may end a user's sessions: this gateway reloads revocations at once
    # the RPC takes the dictionary's active pick-list codes after its body (crm_common.picklists)
    picks: bool = False
    changes_dictionary: bool = False  # this gateway reloads its pick lists at once after it
    max_body: int | None = None  # a route that streams its body (uploads) sets its own limit
    # what the OpenAPI document says it takes and answers: the gateway's own schemas for local
    # routes, or "service.method" when a local route passes a body on to that RPC
    contract: Contract | str | None = field(default=None, compare=False)


def crud(base: str, service: str, noun: str, perm: str, *, create=True, update=True, delete=False,
         sort="-created_at", picks=False):
    routes = [Route("GET", f"/{base}", f"{perm}.read", rpc=f"{service}.list_{noun}s", takes="query",
                    default_sort=sort),
              Route("GET", f"/{base}/<id>", f"{perm}.read", rpc=f"{service}.get_{noun}")]
    if create:
        routes.append(Route("POST", f"/{base}", f"{perm}.write", 201, f"{service}.create_{noun}", "body",
                            picks=picks))
    if update:
        routes.append(Route("PATCH", f"/{base}/<id>", f"{perm}.write", rpc=f"{service}.update_{noun}",
                            takes="body", picks=picks))
    if delete:
        routes.append(Route("DELETE", f"/{base}/<id>", f"{perm}.delete", 204, f"{service}.delete_{noun}"))
    return routes


def action(base: str, action: str, perm: str, rpc: str, *, picks=False):
    return Route("POST", f"/{base}/<id>/{action}", perm, rpc=rpc, takes="body", picks=picks)


def resolved_user(c, user_id, field: str) -> dict:
    """A user named in a body (an owner, an assignee), as services take it: the gateway owns users,
    so it passes on the department and branch; the service checks them against the caller's scope."""
    with c.db() as session:
        user = session.get(User, str(user_id)) if is_uuid(str(user_id)) else None
        if user is None:
            raise InvalidInput("Unknown user", {field: ["Unknown user."]})
        return {"id": user.id, "department_path": user.department.path, "branch": user.department.branch,
                "active": user.active}


def team_routes(base: str, service: str, noun: str, perm: str) -> list:
    """A record's team members (团队成员, issue 17): list; put one (add, or change access and
    expiry) and remove one, which the service allows its owner or a manager in scope only. The
    member is named by the path and resolved here (the gateway owns users)."""
    def put(c):
        body = c.body()
        load_body(MemberPutIn(), body)  # a bad body is a 422 before the user lookup
        user = resolved_user(c, c.params["user_id"], "user_id")
        return c.call(service, f"put_{noun}_member", [c.params["id"], {"user": user, **body}])

    def remove(c):
        return c.call(service, f"remove_{noun}_member", [c.params["id"], c.params["user_id"]])

    return [
        Route("GET", f"/{base}/<id>/members", f"{perm}.read", rpc=f"{service}.list_{noun}_members"),
        Route("PUT", f"/{base}/<id>/members/<user_id>", f"{perm}.write", local=put,
              contract=Contract(body=MemberPutIn, returns=f"{service}.put_{noun}_member")),
        Route("DELETE", f"/{base}/<id>/members/<user_id>", f"{perm}.write", 204, local=remove, contract=Contract()),
    ]
