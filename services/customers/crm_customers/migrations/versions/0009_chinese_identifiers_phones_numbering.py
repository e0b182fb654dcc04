"""Chinese identifiers (credit code, organization code, ID number), several phones per customer and
contact, and the numbering rules an administrator sets

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

from crm_common.tables import create_plumbing_tables, drop_plumbing_tables

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = (('credit_code', sa.String(length=18)), ('organization_code', sa.String(length=10)),
           ('registered_address', sa.String(length=300)), ('legal_representative', sa.String(length=100)),
           ('id_number', sa.String(length=18)), ('birthday', sa.Date()))


def upgrade():
    create_plumbing_tables(op.get_bind(), ("numbering_rules",))
    for name, type_ in COLUMNS:
        op.add_column('customers', sa.Column(name, type_, nullable=True))
    op.create_index('ix_customers_credit_code', 'customers', ['credit_code'])
    op.create_index('ix_customers_id_number', 'customers', ['id_number'])
    op.create_table(
        'customer_phones',
        sa.Column('id', sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column('customer_id', sa.Uuid(as_uuid=False), sa.ForeignKey('customers.id'), nullable=False),
        sa.Column('contact_id', sa.Uuid(as_uuid=False), sa.ForeignKey('contacts.id'), nullable=True),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('number', sa.String(length=20), nullable=False),
        sa.Column('extension', sa.String(length=6), nullable=True),
        sa.Column('typed', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_customer_phones_customer_id', 'customer_phones', ['customer_id'])
    op.create_index('ix_customer_phones_contact_id', 'customer_phones', ['contact_id'])
    op.create_index('ix_customer_phones_number', 'customer_phones', ['number'])


def downgrade():
    op.drop_table('customer_phones')
    op.drop_index('ix_customers_id_number', table_name='customers')
    op.drop_index('ix_customers_credit_code', table_name='customers')
    for name, _ in COLUMNS:
        op.drop_column('customers', name)
    drop_plumbing_tables(op.get_bind(), ("numbering_rules",))
