"""What every signed-in user may use without an admin permission: the directory (ADM-16) and
their own saved filters (场景, CUS-16)."""
from crm_common.api_contract import Contract
from crm_gateway.identity import company, people, saved_filters
from crm_gateway.identity import schemas as identity
from crm_gateway.routes.base import Route

ROUTES = [
    Route("GET", "/directory/users", None, default_sort="code",
          local=lambda c: people.list_users(c.db, c.principal, c.query()),
          contract=Contract(query=identity.DirectoryUserQuery, returns=identity.DirectoryUserOut, page=True)),
    Route("GET", "/directory/departments", None, default_sort="path",
          local=lambda c: people.list_departments(c.db, c.principal),
          contract=Contract(returns=identity.DirectoryDepartmentOut, page=True)),
    # the company each branch prints on its documents (公司名称)
    Route("GET", "/directory/branches", None, default_sort="code",
          local=lambda c: company.printed(c.db, c.branches.clients),
          contract=Contract(returns=identity.DirectoryBranchOut, page=True)),
    Route("GET", "/saved-filters", None, default_sort="name",
          local=lambda c: saved_filters.list_(c.db, c.principal, c.query()),
          contract=Contract(query=saved_filters.SavedFilterQuery, returns=saved_filters.SavedFilterOut, page=True)),
    Route("POST", "/saved-filters", None, 201, local=lambda c: saved_filters.create(c.db, c.principal, c.body()),
          contract=Contract(body=saved_filters.SavedFilterIn, returns=saved_filters.SavedFilterOut)),
    Route("DELETE", "/saved-filters/<id>", None, 204,
          local=lambda c: saved_filters.delete(c.db, c.principal, c.params["id"]), contract=Contract()),
]
