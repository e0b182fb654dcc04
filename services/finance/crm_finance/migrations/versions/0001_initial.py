"""initial

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 21:30:02.152554
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
    op.create_table('receivables',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('order_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('order_number', sa.String(length=40), nullable=False),
    sa.Column('fulfilment_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('customer_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('received', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('received >= 0 AND received <= amount', name='ck_receivables_received'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id')
    )
    op.create_index(op.f('ix_receivables_branch'), 'receivables', ['branch'], unique=False)
    op.create_index(op.f('ix_receivables_customer_id'), 'receivables', ['customer_id'], unique=False)
    op.create_index(op.f('ix_receivables_department_path'), 'receivables', ['department_path'], unique=False)
    op.create_index(op.f('ix_receivables_due_date'), 'receivables', ['due_date'], unique=False)
    op.create_index(op.f('ix_receivables_owner_id'), 'receivables', ['owner_id'], unique=False)
    op.create_index('ix_receivables_scope_created', 'receivables', ['branch', 'department_path', 'created_at'], unique=False)
    op.create_index(op.f('ix_receivables_status'), 'receivables', ['status'], unique=False)
    op.create_table('receipts',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=False),
    sa.Column('receivable_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('order_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('amount', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('amount > 0', name='ck_receipts_amount'),
    sa.ForeignKeyConstraint(['receivable_id'], ['receivables.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    op.create_index(op.f('ix_receipts_branch'), 'receipts', ['branch'], unique=False)
    op.create_index(op.f('ix_receipts_department_path'), 'receipts', ['department_path'], unique=False)
    op.create_index(op.f('ix_receipts_order_id'), 'receipts', ['order_id'], unique=False)
    op.create_index(op.f('ix_receipts_owner_id'), 'receipts', ['owner_id'], unique=False)
    op.create_index(op.f('ix_receipts_receivable_id'), 'receipts', ['receivable_id'], unique=False)


def downgrade():
    drop_plumbing_tables(op.get_bind())
    op.drop_index(op.f('ix_receipts_receivable_id'), table_name='receipts')
    op.drop_index(op.f('ix_receipts_owner_id'), table_name='receipts')
    op.drop_index(op.f('ix_receipts_order_id'), table_name='receipts')
    op.drop_index(op.f('ix_receipts_department_path'), table_name='receipts')
    op.drop_index(op.f('ix_receipts_branch'), table_name='receipts')
    op.drop_table('receipts')
    op.drop_index(op.f('ix_receivables_status'), table_name='receivables')
    op.drop_index('ix_receivables_scope_created', table_name='receivables')
    op.drop_index(op.f('ix_receivables_owner_id'), table_name='receivables')
    op.drop_index(op.f('ix_receivables_due_date'), table_name='receivables')
    op.drop_index(op.f('ix_receivables_department_path'), table_name='receivables')
    op.drop_index(op.f('ix_receivables_customer_id'), table_name='receivables')
    op.drop_index(op.f('ix_receivables_branch'), table_name='receivables')
    op.drop_table('receivables')
