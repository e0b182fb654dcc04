"""initial

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 21:26:48.252224
"""
from alembic import op
import sqlalchemy as sa

from crm_common.tables import create_plumbing_tables, drop_plumbing_tables
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    create_plumbing_tables(op.get_bind())
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')  # Chinese substring search on names
    op.create_table('customers',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('short_name', sa.String(length=100), nullable=True),
    sa.Column('industry', sa.String(length=100), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('value_level', sa.String(length=40), nullable=True),
    sa.Column('province', sa.String(length=50), nullable=True),
    sa.Column('city', sa.String(length=50), nullable=True),
    sa.Column('district', sa.String(length=50), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('website', sa.String(length=200), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('tags', postgresql.ARRAY(sa.String(length=50)), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_index(op.f('ix_customers_branch'), 'customers', ['branch'], unique=False)
    op.create_index(op.f('ix_customers_department_path'), 'customers', ['department_path'], unique=False)
    op.create_index(op.f('ix_customers_industry'), 'customers', ['industry'], unique=False)
    op.create_index('ix_customers_name_trgm', 'customers', ['name'], unique=False, postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.create_index(op.f('ix_customers_owner_id'), 'customers', ['owner_id'], unique=False)
    op.create_index('ix_customers_scope_created', 'customers', ['branch', 'department_path', 'created_at'], unique=False)
    op.create_index(op.f('ix_customers_status'), 'customers', ['status'], unique=False)
    op.create_table('contacts',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('customer_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=True),
    sa.Column('department', sa.String(length=100), nullable=True),
    sa.Column('mobile', sa.String(length=40), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('birthday', sa.Date(), nullable=True),
    sa.Column('is_key_member', sa.Boolean(), nullable=False),
    sa.Column('decision_role', sa.String(length=20), nullable=True),
    sa.Column('reports_to_id', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], ),
    sa.ForeignKeyConstraint(['reports_to_id'], ['contacts.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_contacts_customer_id'), 'contacts', ['customer_id'], unique=False)


def downgrade():
    drop_plumbing_tables(op.get_bind())
    op.drop_index(op.f('ix_contacts_customer_id'), table_name='contacts')
    op.drop_table('contacts')
    op.drop_index(op.f('ix_customers_status'), table_name='customers')
    op.drop_index('ix_customers_scope_created', table_name='customers')
    op.drop_index(op.f('ix_customers_owner_id'), table_name='customers')
    op.drop_index('ix_customers_name_trgm', table_name='customers', postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.drop_index(op.f('ix_customers_industry'), table_name='customers')
    op.drop_index(op.f('ix_customers_department_path'), table_name='customers')
    op.drop_index(op.f('ix_customers_branch'), table_name='customers')
    op.drop_table('customers')
