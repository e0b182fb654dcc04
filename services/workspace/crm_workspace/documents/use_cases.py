"""Use cases of the document centre's metadata (WSP-06). The bytes never cross RabbitMQ: the
gateway streams them to and from the storage (docs/workspace.md); this service decides who may
see which document and remembers where its bytes are (`storage_key`)."""
from sqlalchemy import select

from crm_common.database import new_id
from crm_common.principal import Principal
from crm_common.records import get_in_scope, ownership_of
from crm_common.validation import load_body
from crm_workspace.categories.queries import find as find_category
from crm_workspace.documents.models import Document, DocumentShare
from crm_workspace.documents.rules import shares_to_add
from crm_workspace.documents.schemas import DocumentIn, DocumentOut, ShareIn, ShareOut


def register(uow, principal: Principal, payload) -> dict:
    principal.require("documents.write")
    data = load_body(DocumentIn(), payload)
    with uow:
        if data["category_id"]:
            data["category_id"] = find_category(uow.session, principal, data["category_id"], "document").id
        data["title"] = data["title"] or data["name"]
        document = Document(id=new_id(), **ownership_of(principal), **data)
        uow.session.add(document)
        uow.session.flush()
        return DocumentOut().dump(document)


def share(uow, principal: Principal, document_id, payload) -> list[dict]:
    """Only within the owner's scope (not whoever it was shared with) can it be shared further."""
    principal.require("documents.write")
    data = load_body(ShareIn(), payload)
    with uow:
        document = get_in_scope(uow.session, Document, document_id, principal, for_update=True)
        existing = uow.session.execute(select(DocumentShare.user_id, DocumentShare.department_path).where(
            DocumentShare.document_id == document.id)).all()
        for user_id, path in shares_to_add([tuple(row) for row in existing], data["user_ids"],
                                           data["department_paths"]):
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
