"""Use cases of the knowledge base (WSP-04): editing stays within the author's data scope."""
from sqlalchemy import cast, func
from sqlalchemy.dialects.postgresql import ARRAY, array
from sqlalchemy.types import Text

from crm_common.database import new_id
from crm_common.errors import Forbidden, NotFound
from crm_common.principal import Principal
from crm_common.records import get_in_scope, ownership_of
from crm_common.validation import load_body
from crm_workspace.categories.queries import find as find_category
from crm_workspace.db import apply_patch, find_visible
from crm_workspace.knowledge.models import Article
from crm_workspace.knowledge.queries import readable
from crm_workspace.knowledge.rules import document_terms
from crm_workspace.knowledge.schemas import ArticleIn, ArticleOut


def _terms_of(title: str, body: str):
    terms = document_terms(f"{title}\n{body}")
    return func.array_to_tsvector(cast(array(terms), ARRAY(Text)) if terms else cast("{}", ARRAY(Text)))


def create(uow, principal: Principal, payload) -> dict:
    principal.require("knowledge.write")
    data = load_body(ArticleIn(), payload)
    with uow:
        category = find_category(uow.session, principal, data["category_id"], "article")
        article = Article(id=new_id(), **ownership_of(principal), category_id=category.id,
                          title=data["title"], body=data["body"],
                          search_terms=_terms_of(data["title"], data["body"]))
        uow.session.add(article)
        uow.session.flush()
        return ArticleOut().dump(article)


def update(uow, principal: Principal, article_id, payload) -> dict:
    principal.require("knowledge.write")
    data = load_body(ArticleIn(), payload, partial=True)
    with uow:
        try:
            article = get_in_scope(uow.session, Article, article_id, principal, for_update=True)
        except NotFound:
            # Whoever reads it branch-wide learns nothing from a 403 (records.py's rule); the rest get 404.
            find_visible(uow.session, Article, article_id, readable(principal))
            raise Forbidden("Your data scope does not let you edit this article") from None
        if "category_id" in data:
            data["category_id"] = find_category(uow.session, principal, data["category_id"], "article").id
        apply_patch(article, data)
        article.search_terms = _terms_of(article.title, article.body)
        uow.session.flush()
        return ArticleOut().dump(article)
