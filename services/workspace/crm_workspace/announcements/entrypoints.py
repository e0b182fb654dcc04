"""Announcements (WSP-01): thin entrypoints over the area's use cases and queries."""
from crm_common.api_contract import api
from crm_common.pagination import ListQuery
from crm_common.service_base import rpc
from crm_common.validation import NoInput
from crm_workspace.announcements import queries, use_cases
from crm_workspace.announcements.schemas import AnnouncementIn, AnnouncementOut, AnnouncementReadOut, ReceiptOut


class AnnouncementsEntrypoints:
    @rpc
    @api(body=AnnouncementIn, returns=AnnouncementOut)
    def create_announcement(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(query=ListQuery, returns=AnnouncementOut, page=True)
    def list_announcements(self, query=None):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(returns=AnnouncementOut)
    def get_announcement(self, announcement_id):
        return queries.get(self.uow(), self.principal, announcement_id)

    @rpc
    @api(returns=AnnouncementReadOut)
    def mark_announcement_read(self, announcement_id):
        return use_cases.mark_read(self.uow(), self.principal, announcement_id)

    @rpc
    @api(returns=ReceiptOut, many=True)
    def announcement_read_receipts(self, announcement_id):
        return queries.read_receipts(self.uow(), self.principal, announcement_id)

    @rpc
    @api(body=AnnouncementIn, partial=True, returns=AnnouncementOut)
    def update_announcement(self, announcement_id, payload):
        return use_cases.update(self.uow(), self.principal, announcement_id, payload)

    @rpc
    @api(body=NoInput, returns=AnnouncementOut)
    def withdraw_announcement(self, announcement_id, payload=None):
        return use_cases.withdraw(self.uow(), self.principal, announcement_id, payload)
