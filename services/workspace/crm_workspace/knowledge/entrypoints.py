"""The knowledge base (WSP-04): thin entrypoints over the area's use cases and queries."""
from crm_common.api_contract import api
from crm_common.service_base import rpc
from crm_workspace.knowledge import queries, use_cases
from crm_workspace.knowledge.schemas import ArticleIn, ArticleOut, ArticleQuery


class KnowledgeEntrypoints:
    @rpc
    @api(body=ArticleIn, returns=ArticleOut)
    def create_article(self, payload):
        return use_cases.create(self.uow(), self.principal, payload)

    @rpc
    @api(returns=ArticleOut)
    def get_article(self, article_id):
        return queries.get(self.uow(), self.principal, article_id)

    @rpc
    @api(body=ArticleIn, partial=True, returns=ArticleOut)
    def update_article(self, article_id, payload):
        return use_cases.update(self.uow(), self.principal, article_id, payload)

    @rpc
    @api(query=ArticleQuery, returns=ArticleOut, page=True)
    def list_articles(self, query=None):
        return queries.list_(self.uow(), self.principal, query)
