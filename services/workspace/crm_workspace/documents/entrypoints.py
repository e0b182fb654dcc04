"""The document centre (WSP-06): metadata only, the gateway moves the bytes."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_workspace.documents import queries, use_cases
from crm_workspace.documents.schemas import DocumentOut, DocumentQuery, ShareIn, ShareOut


class DocumentsEntrypoints:
    @rpc
    def register_document(self, payload):
        return use_cases.register(self.uow(), self.principal, payload)

    @rpc
    @api(returns=DocumentOut)
    def get_document(self, document_id):
        return queries.get(self.uow(), self.principal, document_id)

    @rpc
    def open_document(self, document_id):
        return queries.open_for_download(self.uow(), self.principal, document_id)

    @rpc
    @api(query=DocumentQuery, returns=DocumentOut, page=True)
    def list_documents(self, query=None):
        return queries.list_(self.uow(), self.principal, query)

    @rpc
    @api(body=ShareIn, returns=ShareOut, many=True)
    def share_document(self, document_id, payload):
        return use_cases.share(self.uow(), self.principal, document_id, payload)

    @rpc
    def delete_document(self, document_id):
        return use_cases.delete(self.uow(), self.principal, document_id)
