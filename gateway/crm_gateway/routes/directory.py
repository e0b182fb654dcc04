"""The directory (ADM-16): readable by every signed-in user, no admin permission."""
from crm_common.api_contract import Contract
from crm_gateway.identity import people
from crm_gateway.identity import schemas as identity
from crm_gateway.routes.base import Route

ROUTES = [
    Route("GET", "/directory/users", None, default_sort="code",
          local=lambda c: people.list_users(c.db, c.principal, c.query()),
          contract=Contract(query=identity.DirectoryUserQuery, returns=identity.DirectoryUserOut, page=True)),
    Route("GET", "/directory/departments", None, default_sort="path",
          local=lambda c: people.list_departments(c.db, c.principal),
          contract=Contract(returns=identity.DirectoryDepartmentOut, page=True)),
]
