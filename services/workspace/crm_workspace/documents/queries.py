"""Reads of the document centre's metadata. Visible: within the caller's data scope (owner's
side), or shared with the caller, or shared with the caller's department or a department above
it (same branch)."""
from sqlalchemy import and_, exists, or_, select

from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.validation import load_query
from crm_workspace.announcements.rules import ancestor_paths
from crm_workspace.categories.queries import in_subtree
from crm_workspace.db import find_visible
from crm_workspace.documents.models import Document, DocumentShare
from crm_workspace.documents.schemas import DocumentOut, DocumentQuery

SORTS = {"created_at": Document.created_at}


def visible_to(principal: Principal):
    if not principal.user_id:
        return scope_filter(principal, Document)
    shared = exists().where(DocumentShare.document_id == Document.id, or_(
        DocumentShare.user_id == principal.user_id,
        and_(DocumentShare.branch == principal.branch,
             DocumentShare.department_path.in_(ancestor_paths(principal.department_path)))))
    return or_(scope_filter(principal, Document), shared)


def get(uow, principal: Principal, document_id) -> dict:
    principal.require("documents.read")
    with uow:
        return DocumentOut().dump(find_visible(uow.session, Document, document_id, visible_to(principal)))


def open_for_download(uow, principal: Principal, document_id) -> dict:
    """For the gateway's download route only: the metadata plus where the bytes are."""
    principal.require("documents.read")
    with uow:
        document = find_visible(uow.session, Document, document_id, visible_to(principal))
        return dict(DocumentOut().dump(document), storage_key=document.storage_key)


def list_(uow, principal: Principal, query) -> dict:
    principal.require("documents.read")
    q = load_query(DocumentQuery(), query)
    stmt = select(Document).where(visible_to(principal))
    if "q" in q:
        stmt = stmt.where(or_(Document.title.icontains(q["q"], autoescape=True),
                              Document.name.icontains(q["q"], autoescape=True)))
    if "category_id" in q:
        stmt = stmt.where(in_subtree(Document.category_id, q["category_id"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Document.id, q, SORTS, "-created_at")
        return {"items": DocumentOut(many=True).dump(rows), "next_cursor": cursor}
