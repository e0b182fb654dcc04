from crm_common.testing import use_case_fixtures

service_db, uow, principal_factory, emitted = use_case_fixtures("workspace", "crm_workspace:migrations")
