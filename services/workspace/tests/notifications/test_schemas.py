"""How the inbox reads its query string."""
from crm_workspace.notifications.schemas import NotificationListQuery


def test_unread_filter_reads_query_string_booleans():
    assert NotificationListQuery().load({"unread": "true"})["unread"] is True
    assert "unread" not in NotificationListQuery().load({})
