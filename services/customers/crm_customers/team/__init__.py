"""Team members of a customer (团队成员, issue 17); the shared machinery is crm_common.teams."""
