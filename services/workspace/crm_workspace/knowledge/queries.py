"""Reads of the knowledge base. Articles are written to be shared: everyone in the branch with
`knowledge.read` reads them (like announcements). Search is a substring match (ILIKE) served by
pg_trgm GIN indexes, which index Chinese characters as well (the database's ctype is UTF-8), so
a word is found inside a sentence without a tokenizer; see docs/workspace.md for the measurement.
"""
from sqlalchemy import cast, or_, select
from sqlalchemy.dialects.postgresql import TSQUERY

from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.validation import load_query
from crm_workspace.categories.queries import in_subtree
from crm_workspace.db import find_visible
from crm_workspace.knowledge.models import Article
from crm_workspace.knowledge.rules import tsquery_text
from crm_workspace.knowledge.schemas import ArticleOut, ArticleQuery

SORTS = {"updated_at": Article.updated_at, "created_at": Article.created_at}


def readable(principal: Principal):
    return Article.branch == principal.branch


def get(uow, principal: Principal, article_id) -> dict:
    principal.require("knowledge.read")
    with uow:
        return ArticleOut().dump(find_visible(uow.session, Article, article_id, readable(principal)))


def list_(uow, principal: Principal, query) -> dict:
    """`q` finds the words in the title or body; `category_id` includes its sub-categories."""
    principal.require("knowledge.read")
    q = load_query(ArticleQuery(), query)
    stmt = select(Article).where(readable(principal))
    if "q" in q:
        tsquery = tsquery_text(q["q"])
        if tsquery:  # the index narrows, ILIKE decides
            stmt = stmt.where(Article.search_terms.op("@@")(cast(tsquery, TSQUERY)))
        stmt = stmt.where(or_(Article.title.icontains(q["q"], autoescape=True),
                              Article.body.icontains(q["q"], autoescape=True)))
    if "category_id" in q:
        stmt = stmt.where(in_subtree(Article.category_id, q["category_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Article.id, q, SORTS, "-updated_at")
        return {"items": ArticleOut(many=True).dump(rows), "next_cursor": cursor}
