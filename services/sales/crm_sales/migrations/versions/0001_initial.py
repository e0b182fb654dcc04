"""initial

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 21:28:40.739537
"""
from alembic import op
import sqlalchemy as sa

from crm_common.tables import create_plumbing_tables, drop_plumbing_tables

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_plumbing_tables(op.get_bind())
    op.create_table('orders',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('customer_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('customer_name', sa.String(length=200), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('payment_terms_days', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('total', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=True),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    op.create_index(op.f('ix_orders_branch'), 'orders', ['branch'], unique=False)
    op.create_index(op.f('ix_orders_customer_id'), 'orders', ['customer_id'], unique=False)
    op.create_index(op.f('ix_orders_department_path'), 'orders', ['department_path'], unique=False)
    op.create_index(op.f('ix_orders_owner_id'), 'orders', ['owner_id'], unique=False)
    op.create_index(op.f('ix_orders_status'), 'orders', ['status'], unique=False)
    op.create_table('products',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('spec', sa.String(length=200), nullable=True),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('list_price', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('wholesale_price', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('retail_price', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('cost_price', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('floor_price', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('order_lines',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('order_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('line_no', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('product_code', sa.String(length=40), nullable=False),
    sa.Column('product_name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('unit_price', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_order_lines_order_id'), 'order_lines', ['order_id'], unique=False)


def downgrade():
    drop_plumbing_tables(op.get_bind())
    op.drop_index(op.f('ix_order_lines_order_id'), table_name='order_lines')
    op.drop_table('order_lines')
    op.drop_table('products')
    op.drop_index(op.f('ix_orders_status'), table_name='orders')
    op.drop_index(op.f('ix_orders_owner_id'), table_name='orders')
    op.drop_index(op.f('ix_orders_department_path'), table_name='orders')
    op.drop_index(op.f('ix_orders_customer_id'), table_name='orders')
    op.drop_index(op.f('ix_orders_branch'), table_name='orders')
    op.drop_table('orders')
