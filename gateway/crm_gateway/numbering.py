"""The numbering rules of every document type (单据编号规则), per branch: the administrator's desk.

Each branch's services keep the rules of the types they number (crm_common.numbering_rules); these
routes send a rule to the service of its type in the branch named in the path. An administrator
whose scope for `admin.numbering` is not `all` manages their own branch only; any other answers 404.
"""
from crm_common.errors import NotFound
from crm_common.numbering import DOCUMENT_TYPES

PERMISSION = "admin.numbering"


def _branch(ctx) -> str:
    branch = ctx.params["branch"]
    mine = branch == ctx.principal.branch
    if branch not in ctx.branches.clients or not (mine or ctx.principal.scope_for(PERMISSION) == "all"):
        raise NotFound("No such branch")
    return branch


def _service(ctx) -> str:
    if ctx.params["document_type"] not in DOCUMENT_TYPES:
        raise NotFound("No such document type")
    return DOCUMENT_TYPES[ctx.params["document_type"]][0]


def list_rules(ctx) -> dict:
    branch = _branch(ctx)
    services = sorted({service for service, _ in DOCUMENT_TYPES.values()})
    return {"items": [item for service in services
                      for item in ctx.call(service, "list_numbering_rules", [], branch=branch)["items"]]}


def set_rule(ctx) -> dict:
    branch, service = _branch(ctx), _service(ctx)
    return ctx.call(service, "set_numbering_rule", [ctx.params["document_type"], ctx.body()], branch=branch)


def preview_rule(ctx) -> dict:
    branch, service = _branch(ctx), _service(ctx)
    return ctx.call(service, "preview_numbering_rule", [ctx.params["document_type"], ctx.body()], branch=branch)
