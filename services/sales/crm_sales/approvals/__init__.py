"""The approval engine (SAL-07): flows, approvals of every document type, their history."""
