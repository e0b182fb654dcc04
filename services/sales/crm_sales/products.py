"""Use cases for the product catalog (SAL-01 core)."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm_common.database import new_id
from crm_common.errors import Conflict, NotFound
from crm_common.pagination import keyset_page
from crm_common.principal import Principal
from crm_common.records import is_uuid
from crm_common.validation import load_body, load_query
from crm_sales.models import Product
from crm_sales.schemas import ProductIn, ProductListQuery, ProductOut

SORTS = {"code": Product.code, "name": Product.name, "created_at": Product.created_at}


def _find(session, product_id, for_update=False) -> Product:
    if not is_uuid(product_id):
        raise NotFound("Product not found")
    product = session.get(Product, str(product_id), with_for_update=for_update)
    if product is None:
        raise NotFound("Product not found")
    return product


def create(uow, principal: Principal, payload) -> dict:
    principal.require("products.write")
    data = load_body(ProductIn(), payload)
    try:
        with uow:
            product = Product(id=new_id(), **data)
            uow.session.add(product)
            uow.session.flush()
            return ProductOut().dump(product)
    except IntegrityError:
        raise Conflict("A product with this code already exists", {"code": ["Already used."]}) from None


def update(uow, principal: Principal, product_id, payload) -> dict:
    principal.require("products.write")
    data = load_body(ProductIn(), payload, partial=True)
    try:
        with uow:
            product = _find(uow.session, product_id, for_update=True)
            for key, value in data.items():
                setattr(product, key, value)
            uow.session.flush()
            return ProductOut().dump(product)
    except IntegrityError:
        raise Conflict("A product with this code already exists", {"code": ["Already used."]}) from None


def get(uow, principal: Principal, product_id) -> dict:
    principal.require("products.read")
    with uow:
        return ProductOut().dump(_find(uow.session, product_id))


def list_(uow, principal: Principal, query) -> dict:
    principal.require("products.read")
    q = load_query(ProductListQuery(), query)
    stmt = select(Product)
    if "name" in q:
        stmt = stmt.where(Product.name.contains(q["name"], autoescape=True))
    if "category" in q:
        stmt = stmt.where(Product.category == q["category"])
    if "active" in q:
        stmt = stmt.where(Product.active.is_(q["active"]))
    with uow:
        rows, cursor = keyset_page(uow.session, stmt, Product.id, q, SORTS, "code")
        return {"items": ProductOut(many=True).dump(rows), "next_cursor": cursor}
