"""Team members of opportunities and contracts (团队成员, issue 17): crm_common.teams does the work."""
