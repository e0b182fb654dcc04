from crm_common.testing import clock, use_case_fixtures  # noqa: F401 (clock: a fixture)

service_db, uow, principal_factory, emitted = use_case_fixtures("workspace", "crm_workspace:migrations")
