"""fapiao: invoice types, buyer title profiles, per-line tax, drafts, the tax system's number,
red-letter reversals; the numbering rules an administrator sets

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from crm_common.tables import create_plumbing_tables, drop_plumbing_tables

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

MONEY = sa.Numeric(precision=18, scale=2)


def upgrade():
    create_plumbing_tables(op.get_bind(), ("numbering_rules",))
    op.create_table(
        'buyer_titles',
        sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
        sa.Column('customer_id', sa.Uuid(as_uuid=False), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('taxpayer_number', sa.String(length=20), nullable=True),
        sa.Column('address', sa.String(length=300), nullable=True),
        sa.Column('phone', sa.String(length=40), nullable=True),
        sa.Column('bank_name', sa.String(length=200), nullable=True),
        sa.Column('bank_account', sa.String(length=40), nullable=True),
        sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
        sa.Column('department_path', sa.String(length=500), nullable=False),
        sa.Column('branch', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    for column in ('customer_id', 'owner_id', 'department_path', 'branch'):
        op.create_index(f'ix_buyer_titles_{column}', 'buyer_titles', [column])

    op.add_column('invoices', sa.Column('kind', sa.String(length=10), server_default='blue', nullable=False))
    op.add_column('invoices', sa.Column('status', sa.String(length=20), server_default='issued', nullable=False))
    op.add_column('invoices', sa.Column('invoice_type', sa.String(length=20), server_default='vat_normal',
                                        nullable=False))
    op.add_column('invoices', sa.Column('buyer_title_id', sa.Uuid(as_uuid=False),
                                        sa.ForeignKey('buyer_titles.id'), nullable=True))
    op.add_column('invoices', sa.Column('buyer', postgresql.JSONB(), nullable=True))
    op.add_column('invoices', sa.Column('original_invoice_id', sa.Uuid(as_uuid=False),
                                        sa.ForeignKey('invoices.id'), nullable=True))
    op.add_column('invoices', sa.Column('reason', sa.String(length=500), nullable=True))
    op.add_column('invoices', sa.Column('reversed_amount', MONEY, server_default='0', nullable=False))
    op.add_column('invoices', sa.Column('reversed_tax', MONEY, server_default='0', nullable=False))
    op.add_column('invoices', sa.Column('fapiao_number', sa.String(length=30), nullable=True))
    op.add_column('invoices', sa.Column('fapiao_date', sa.Date(), nullable=True))
    op.alter_column('invoices', 'number', nullable=True)
    op.create_index('ix_invoices_original_invoice_id', 'invoices', ['original_invoice_id'])
    op.create_index('ix_invoices_fapiao_number', 'invoices', ['fapiao_number'], unique=True,
                    postgresql_where=sa.text('fapiao_number IS NOT NULL'))
    op.drop_constraint('ck_invoices_amount', 'invoices', type_='check')
    op.create_check_constraint('ck_invoices_amount', 'invoices',
                               "(kind = 'blue' AND amount > 0) OR (kind = 'red' AND amount < 0)")
    op.create_check_constraint('ck_invoices_reversed', 'invoices',
                               "reversed_amount >= 0 AND reversed_amount <= amount OR kind = 'red'")

    # Lines carry their own rate; those of earlier invoices had their invoice's.
    op.add_column('invoice_lines', sa.Column('tax_rate', sa.Numeric(precision=5, scale=4), nullable=True))
    op.add_column('invoice_lines', sa.Column('tax_amount', MONEY, nullable=True))
    op.execute("""UPDATE invoice_lines l SET tax_rate = i.tax_rate,
                         tax_amount = round(l.amount * i.tax_rate / (1 + i.tax_rate), 2)
                    FROM invoices i WHERE i.id = l.invoice_id""")
    op.alter_column('invoice_lines', 'tax_rate', nullable=False)
    op.alter_column('invoice_lines', 'tax_amount', nullable=False)
    op.add_column('invoice_lines', sa.Column('reversed', MONEY, server_default='0', nullable=False))
    op.add_column('invoice_lines', sa.Column('reversed_tax', MONEY, server_default='0', nullable=False))
    op.drop_constraint('ck_invoice_lines_amount', 'invoice_lines', type_='check')
    op.create_check_constraint('ck_invoice_lines_amount', 'invoice_lines', 'amount <> 0')
    op.create_check_constraint('ck_invoice_lines_reversed', 'invoice_lines',
                               'reversed >= 0 AND (amount < 0 OR reversed <= amount)')


def downgrade():
    op.drop_constraint('ck_invoice_lines_reversed', 'invoice_lines', type_='check')
    op.drop_constraint('ck_invoice_lines_amount', 'invoice_lines', type_='check')
    op.execute("DELETE FROM invoice_lines WHERE amount < 0")
    op.create_check_constraint('ck_invoice_lines_amount', 'invoice_lines', 'amount > 0')
    for column in ('reversed_tax', 'reversed', 'tax_amount', 'tax_rate'):
        op.drop_column('invoice_lines', column)
    op.drop_constraint('ck_invoices_reversed', 'invoices', type_='check')
    op.drop_constraint('ck_invoices_amount', 'invoices', type_='check')
    op.execute("DELETE FROM invoices WHERE kind = 'red' OR status = 'draft'")
    op.create_check_constraint('ck_invoices_amount', 'invoices', 'amount > 0')
    op.drop_index('ix_invoices_fapiao_number', table_name='invoices')
    op.drop_index('ix_invoices_original_invoice_id', table_name='invoices')
    op.alter_column('invoices', 'number', nullable=False)
    for column in ('fapiao_date', 'fapiao_number', 'reversed_tax', 'reversed_amount', 'reason',
                   'original_invoice_id', 'buyer', 'buyer_title_id', 'invoice_type', 'status', 'kind'):
        op.drop_column('invoices', column)
    op.drop_table('buyer_titles')
    drop_plumbing_tables(op.get_bind(), ("numbering_rules",))
