"""Workspace service: the team's daily desk (WSP-01..10), one subpackage per area."""
