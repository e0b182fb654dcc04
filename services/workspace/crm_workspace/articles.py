"""Use cases for the knowledge base (WSP-04).

Articles are written to be shared: everyone in the branch with `knowledge.read` reads them
(like announcements); editing stays within the author's data scope. Search is a substring
match (ILIKE) served by pg_trgm GIN indexes, which index Chinese characters as well (the
database's ctype is UTF-8), so a word is found inside a sentence without a tokenizer; see
docs/workspace.md for the measurement.
"""
from sqlalchemy import cast, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY, array
from sqlalchemy.types import Text

from crm_common.database import new_id
from crm_common.errors import Forbidden, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import get_in_scope, ownership_of
from crm_common.validation import load_body, load_query
from crm_workspace import categories, search_terms
from crm_workspace.lookup import apply_patch, find_visible
from crm_workspace.models_calls import Category
from crm_workspace.models_library import Article
from crm_workspace.schemas_calls import ArticleIn, ArticleOut, ArticleQuery

SORTS = {"updated_at": Article.updated_at, "created_at": Article.created_at}


def _terms_of(title: str, body: str):
    terms = search_terms.document_terms(f"{title}\n{body}")
    return func.array_to_tsvector(cast(array(terms), ARRAY(Text)) if terms else cast("{}", ARRAY(Text)))


def readable(principal: Principal):
    return Article.branch == principal.branch


def create(uow, principal: Principal, payload) -> dict:
    principal.require("knowledge.write")
    data = load_body(ArticleIn(), payload)
    with uow:
        category = categories.find(uow.session, principal, data["category_id"], "article")
        article = Article(id=new_id(), **ownership_of(principal), category_id=category.id,
                          title=data["title"], body=data["body"],
                          search_terms=_terms_of(data["title"], data["body"]))
        uow.session.add(article)
        uow.session.flush()
        return ArticleOut().dump(article)


def get(uow, principal: Principal, article_id) -> dict:
    principal.require("knowledge.read")
    with uow:
        return ArticleOut().dump(find_visible(uow.session, Article, article_id, readable(principal)))


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
            data["category_id"] = categories.find(uow.session, principal, data["category_id"], "article").id
        apply_patch(article, data)
        article.search_terms = _terms_of(article.title, article.body)
        uow.session.flush()
        return ArticleOut().dump(article)


def list_(uow, principal: Principal, query) -> dict:
    """`q` finds the words in the title or body; `category_id` includes its sub-categories."""
    principal.require("knowledge.read")
    q = load_query(ArticleQuery(), query)
    stmt = select(Article).where(readable(principal))
    if "q" in q:
        tsquery = search_terms.tsquery_text(q["q"])
        if tsquery:  # the index narrows, ILIKE decides
            stmt = stmt.where(Article.search_terms.op("@@")(cast(tsquery, TSQUERY)))
        stmt = stmt.where(or_(Article.title.icontains(q["q"], autoescape=True),
                              Article.body.icontains(q["q"], autoescape=True)))
    if "category_id" in q:
        prefix = select(Category.path).where(Category.id == str(q["category_id"])).scalar_subquery()
        stmt = stmt.where(Article.category_id.in_(
            select(Category.id).where(Category.path.startswith(prefix))))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Article.id, q, SORTS, "-updated_at")
        return {"items": ArticleOut(many=True).dump(rows), "next_cursor": cursor}
