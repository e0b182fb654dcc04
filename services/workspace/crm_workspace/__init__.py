"""Workspace service: announcements (公告) with read receipts and the notification inbox."""
