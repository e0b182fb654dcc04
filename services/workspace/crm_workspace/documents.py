"""Use cases for the document centre's metadata (WSP-06). The bytes never cross RabbitMQ: the
gateway streams them to and from the storage (docs/workspace.md); this service decides who may
see which document and remembers where its bytes are (`storage_key`).

Visible: within the caller's data scope (owner's side), or shared with the caller, or shared with
the caller's department or a department above it (same branch).
"""
from sqlalchemy import and_, exists, or_, select

from crm_common.database import new_id
from crm_common.pagination import keyset_page
from crm_common.principal import Principal, scope_filter
from crm_common.records import get_in_scope, ownership_of
from crm_common.validation import load_body, load_query
from crm_workspace import categories
from crm_workspace.audience import ancestor_paths, normalise_audience
from crm_workspace.lookup import find_visible
from crm_workspace.models_calls import Category
from crm_workspace.models_library import Document, DocumentShare
from crm_workspace.schemas_library import DocumentIn, DocumentOut, DocumentQuery, ShareIn, ShareOut

SORTS = {"created_at": Document.created_at}


def visible_to(principal: Principal):
    if not principal.user_id:
        return scope_filter(principal, Document)
    shared = exists().where(DocumentShare.document_id == Document.id, or_(
        DocumentShare.user_id == principal.user_id,
        and_(DocumentShare.branch == principal.branch,
             DocumentShare.department_path.in_(ancestor_paths(principal.department_path)))))
    return or_(scope_filter(principal, Document), shared)


def register(uow, principal: Principal, payload) -> dict:
    principal.require("documents.write")
    data = load_body(DocumentIn(), payload)
    with uow:
        if data["category_id"]:
            data["category_id"] = categories.find(uow.session, principal, data["category_id"], "document").id
        data["title"] = data["title"] or data["name"]
        document = Document(id=new_id(), **ownership_of(principal), **data)
        uow.session.add(document)
        uow.session.flush()
        return DocumentOut().dump(document)


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
        prefix = select(Category.path).where(Category.id == str(q["category_id"])).scalar_subquery()
        stmt = stmt.where(Document.category_id.in_(select(Category.id).where(Category.path.startswith(prefix))))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Document.id, q, SORTS, "-created_at")
        return {"items": DocumentOut(many=True).dump(rows), "next_cursor": cursor}


def share(uow, principal: Principal, document_id, payload) -> list[dict]:
    """Only within the owner's scope (not whoever it was shared with) can it be shared further."""
    principal.require("documents.write")
    data = load_body(ShareIn(), payload)
    with uow:
        document = get_in_scope(uow.session, Document, document_id, principal, for_update=True)
        existing = uow.session.execute(select(DocumentShare).where(
            DocumentShare.document_id == document.id)).scalars().all()
        have = {(s.user_id, s.department_path) for s in existing}
        wanted = [(str(u), None) for u in dict.fromkeys(data["user_ids"])]
        wanted += [(None, p) for p in normalise_audience(data["department_paths"])]
        for user_id, path in wanted:
            if (user_id, path) not in have:
                uow.session.add(DocumentShare(id=new_id(), document_id=document.id, user_id=user_id,
                                              department_path=path, branch=document.branch))
        uow.session.flush()
        rows = uow.session.execute(select(DocumentShare).where(DocumentShare.document_id == document.id)
                                   .order_by(DocumentShare.created_at, DocumentShare.id)).scalars().all()
        return ShareOut(many=True).dump(rows)


def delete(uow, principal: Principal, document_id) -> dict:
    """Returns the storage key: the gateway removes the bytes once the row is gone."""
    principal.require("documents.write")
    with uow:
        document = get_in_scope(uow.session, Document, document_id, principal, for_update=True)
        key = document.storage_key
        uow.session.delete(document)
        return {"storage_key": key}
