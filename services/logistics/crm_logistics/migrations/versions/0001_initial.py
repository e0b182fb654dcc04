"""initial

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 21:30:01.158306
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
    op.create_table('fulfilments',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('order_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('order_number', sa.String(length=40), nullable=False),
    sa.Column('customer_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id')
    )
    op.create_index(op.f('ix_fulfilments_branch'), 'fulfilments', ['branch'], unique=False)
    op.create_index(op.f('ix_fulfilments_customer_id'), 'fulfilments', ['customer_id'], unique=False)
    op.create_index(op.f('ix_fulfilments_department_path'), 'fulfilments', ['department_path'], unique=False)
    op.create_index(op.f('ix_fulfilments_owner_id'), 'fulfilments', ['owner_id'], unique=False)
    op.create_index('ix_fulfilments_scope_created', 'fulfilments', ['branch', 'department_path', 'created_at'], unique=False)
    op.create_index(op.f('ix_fulfilments_status'), 'fulfilments', ['status'], unique=False)
    op.create_table('fulfilment_lines',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('fulfilment_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('order_line_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('product_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('product_name', sa.String(length=200), nullable=False),
    sa.Column('ordered', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.Column('shipped', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.CheckConstraint('shipped >= 0 AND shipped <= ordered', name='ck_fulfilment_lines_shipped'),
    sa.ForeignKeyConstraint(['fulfilment_id'], ['fulfilments.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_fulfilment_lines_fulfilment_id'), 'fulfilment_lines', ['fulfilment_id'], unique=False)
    op.create_table('shipments',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('fulfilment_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('order_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('carrier', sa.String(length=100), nullable=True),
    sa.Column('tracking_no', sa.String(length=100), nullable=True),
    sa.Column('freight_fee', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('freight_currency', sa.String(length=3), nullable=True),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['fulfilment_id'], ['fulfilments.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    op.create_index(op.f('ix_shipments_branch'), 'shipments', ['branch'], unique=False)
    op.create_index(op.f('ix_shipments_department_path'), 'shipments', ['department_path'], unique=False)
    op.create_index(op.f('ix_shipments_fulfilment_id'), 'shipments', ['fulfilment_id'], unique=False)
    op.create_index(op.f('ix_shipments_order_id'), 'shipments', ['order_id'], unique=False)
    op.create_index(op.f('ix_shipments_owner_id'), 'shipments', ['owner_id'], unique=False)
    op.create_table('shipment_lines',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('shipment_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('fulfilment_line_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=14, scale=3), nullable=False),
    sa.CheckConstraint('quantity > 0', name='ck_shipment_lines_quantity'),
    sa.ForeignKeyConstraint(['fulfilment_line_id'], ['fulfilment_lines.id'], ),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_shipment_lines_fulfilment_line_id'), 'shipment_lines', ['fulfilment_line_id'], unique=False)
    op.create_index(op.f('ix_shipment_lines_shipment_id'), 'shipment_lines', ['shipment_id'], unique=False)


def downgrade():
    drop_plumbing_tables(op.get_bind())
    op.drop_index(op.f('ix_shipment_lines_shipment_id'), table_name='shipment_lines')
    op.drop_index(op.f('ix_shipment_lines_fulfilment_line_id'), table_name='shipment_lines')
    op.drop_table('shipment_lines')
    op.drop_index(op.f('ix_shipments_owner_id'), table_name='shipments')
    op.drop_index(op.f('ix_shipments_order_id'), table_name='shipments')
    op.drop_index(op.f('ix_shipments_fulfilment_id'), table_name='shipments')
    op.drop_index(op.f('ix_shipments_department_path'), table_name='shipments')
    op.drop_index(op.f('ix_shipments_branch'), table_name='shipments')
    op.drop_table('shipments')
    op.drop_index(op.f('ix_fulfilment_lines_fulfilment_id'), table_name='fulfilment_lines')
    op.drop_table('fulfilment_lines')
    op.drop_index(op.f('ix_fulfilments_status'), table_name='fulfilments')
    op.drop_index('ix_fulfilments_scope_created', table_name='fulfilments')
    op.drop_index(op.f('ix_fulfilments_owner_id'), table_name='fulfilments')
    op.drop_index(op.f('ix_fulfilments_department_path'), table_name='fulfilments')
    op.drop_index(op.f('ix_fulfilments_customer_id'), table_name='fulfilments')
    op.drop_index(op.f('ix_fulfilments_branch'), table_name='fulfilments')
    op.drop_table('fulfilments')
