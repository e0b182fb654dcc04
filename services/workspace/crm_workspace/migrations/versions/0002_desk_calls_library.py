"""desk, calls, library

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 22:26:02.208723
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')  # Chinese substring search (articles)
    op.create_table('calendar_events',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('shared', sa.Boolean(), nullable=False),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('ends_at >= starts_at', name='ck_calendar_events_ends_after_start'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_calendar_events_branch'), 'calendar_events', ['branch'], unique=False)
    op.create_index(op.f('ix_calendar_events_department_path'), 'calendar_events', ['department_path'], unique=False)
    op.create_index(op.f('ix_calendar_events_owner_id'), 'calendar_events', ['owner_id'], unique=False)
    op.create_index('ix_calendar_events_owner_start', 'calendar_events', ['owner_id', 'starts_at'], unique=False)
    op.create_index('ix_calendar_events_scope_start', 'calendar_events', ['branch', 'department_path', 'starts_at'], unique=False)
    op.create_table('categories',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('parent_id', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('path', sa.String(length=1000), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('business', 'article', 'document')", name='ck_categories_kind'),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('branch', 'kind', 'parent_id', 'name', name='uq_categories_sibling_name', postgresql_nulls_not_distinct=True)
    )
    op.create_index(op.f('ix_categories_path'), 'categories', ['path'], unique=False)
    op.create_table('diary_entries',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_diary_entries_branch'), 'diary_entries', ['branch'], unique=False)
    op.create_index(op.f('ix_diary_entries_department_path'), 'diary_entries', ['department_path'], unique=False)
    op.create_index(op.f('ix_diary_entries_owner_id'), 'diary_entries', ['owner_id'], unique=False)
    op.create_index('ix_diary_entries_scope_date', 'diary_entries', ['branch', 'department_path', 'entry_date'], unique=False)
    op.create_table('plans',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("period IN ('daily', 'weekly', 'monthly')", name='ck_plans_period'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_plans_branch'), 'plans', ['branch'], unique=False)
    op.create_index(op.f('ix_plans_department_path'), 'plans', ['department_path'], unique=False)
    op.create_index(op.f('ix_plans_owner_id'), 'plans', ['owner_id'], unique=False)
    op.create_index('ix_plans_scope_start', 'plans', ['branch', 'department_path', 'period_start'], unique=False)
    op.create_table('reminders',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('fired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('source', sa.String(length=50), nullable=False),
    sa.Column('source_key', sa.String(length=200), nullable=True),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'fired', 'done')", name='ck_reminders_status'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_key')
    )
    op.create_index(op.f('ix_reminders_branch'), 'reminders', ['branch'], unique=False)
    op.create_index(op.f('ix_reminders_department_path'), 'reminders', ['department_path'], unique=False)
    op.create_index('ix_reminders_owner_due', 'reminders', ['owner_id', 'due_at'], unique=False)
    op.create_index(op.f('ix_reminders_owner_id'), 'reminders', ['owner_id'], unique=False)
    op.create_index('ix_reminders_pending_due', 'reminders', ['due_at'], unique=False, postgresql_where="status = 'pending'")
    op.create_table('sms_messages',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('body', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('provider', sa.String(length=50), nullable=False),
    sa.Column('provider_message_id', sa.String(length=100), nullable=True),
    sa.Column('error', sa.String(length=500), nullable=True),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_sms_messages_branch'), 'sms_messages', ['branch'], unique=False)
    op.create_index(op.f('ix_sms_messages_department_path'), 'sms_messages', ['department_path'], unique=False)
    op.create_index(op.f('ix_sms_messages_owner_id'), 'sms_messages', ['owner_id'], unique=False)
    op.create_index(op.f('ix_sms_messages_phone'), 'sms_messages', ['phone'], unique=False)
    op.create_index('ix_sms_messages_scope_created', 'sms_messages', ['branch', 'department_path', 'created_at'], unique=False)
    op.create_table('sms_opt_outs',
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=True),
    sa.Column('created_by', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('branch', 'phone')
    )
    op.create_table('articles',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('category_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('search_terms', postgresql.TSVECTOR(), nullable=False),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_articles_body_trgm', 'articles', ['body'], unique=False, postgresql_using='gin', postgresql_ops={'body': 'gin_trgm_ops'})
    op.create_index(op.f('ix_articles_branch'), 'articles', ['branch'], unique=False)
    op.create_index('ix_articles_branch_updated', 'articles', ['branch', 'updated_at'], unique=False)
    op.create_index(op.f('ix_articles_category_id'), 'articles', ['category_id'], unique=False)
    op.create_index(op.f('ix_articles_department_path'), 'articles', ['department_path'], unique=False)
    op.create_index(op.f('ix_articles_owner_id'), 'articles', ['owner_id'], unique=False)
    op.create_index('ix_articles_terms', 'articles', ['search_terms'], unique=False, postgresql_using='gin')
    op.create_index('ix_articles_title_trgm', 'articles', ['title'], unique=False, postgresql_using='gin', postgresql_ops={'title': 'gin_trgm_ops'})
    op.create_table('call_records',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('phone', sa.String(length=30), nullable=False),
    sa.Column('caller_name', sa.String(length=100), nullable=True),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('category_id', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('customer_id', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('customer_name', sa.String(length=200), nullable=True),
    sa.Column('contact_id', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('contact_name', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('handled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('handled_by', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'handled')", name='ck_call_records_status'),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_call_records_branch'), 'call_records', ['branch'], unique=False)
    op.create_index(op.f('ix_call_records_department_path'), 'call_records', ['department_path'], unique=False)
    op.create_index(op.f('ix_call_records_owner_id'), 'call_records', ['owner_id'], unique=False)
    op.create_index(op.f('ix_call_records_phone'), 'call_records', ['phone'], unique=False)
    op.create_index('ix_call_records_pending', 'call_records', ['branch', 'department_path'], unique=False, postgresql_where="status = 'pending'")
    op.create_index('ix_call_records_scope_received', 'call_records', ['branch', 'department_path', 'received_at'], unique=False)
    op.create_table('documents',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('category_id', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=100), nullable=False),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('storage_key')
    )
    op.create_index(op.f('ix_documents_branch'), 'documents', ['branch'], unique=False)
    op.create_index(op.f('ix_documents_category_id'), 'documents', ['category_id'], unique=False)
    op.create_index(op.f('ix_documents_department_path'), 'documents', ['department_path'], unique=False)
    op.create_index(op.f('ix_documents_owner_id'), 'documents', ['owner_id'], unique=False)
    op.create_table('plan_records',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('plan_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('author_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_plan_records_plan_id'), 'plan_records', ['plan_id'], unique=False)
    op.create_table('document_shares',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('document_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('user_id', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('department_path', sa.String(length=500), nullable=True),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('(user_id IS NULL) <> (department_path IS NULL)', name='ck_document_shares_one_target'),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_document_shares_department', 'document_shares', ['department_path'], unique=False)
    op.create_index(op.f('ix_document_shares_document_id'), 'document_shares', ['document_id'], unique=False)
    op.create_index('ix_document_shares_user', 'document_shares', ['user_id'], unique=False)
    op.create_table('work_orders',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('call_id', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('category_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('source', sa.String(length=30), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('customer_id', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('resolution', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("status IN ('open', 'closed')", name='ck_work_orders_status'),
    sa.ForeignKeyConstraint(['call_id'], ['call_records.id'], ),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    op.create_index(op.f('ix_work_orders_branch'), 'work_orders', ['branch'], unique=False)
    op.create_index(op.f('ix_work_orders_call_id'), 'work_orders', ['call_id'], unique=False)
    op.create_index(op.f('ix_work_orders_department_path'), 'work_orders', ['department_path'], unique=False)
    op.create_index(op.f('ix_work_orders_owner_id'), 'work_orders', ['owner_id'], unique=False)
    op.create_index('ix_work_orders_open', 'work_orders', ['branch', 'department_path'], unique=False, postgresql_where="status = 'open'")
    op.create_index('ix_work_orders_scope_created', 'work_orders', ['branch', 'department_path', 'created_at'], unique=False)
    # ### end Alembic commands ###


def downgrade():
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_index('ix_work_orders_scope_created', table_name='work_orders')
    op.drop_index(op.f('ix_work_orders_owner_id'), table_name='work_orders')
    op.drop_index(op.f('ix_work_orders_department_path'), table_name='work_orders')
    op.drop_index(op.f('ix_work_orders_call_id'), table_name='work_orders')
    op.drop_index(op.f('ix_work_orders_branch'), table_name='work_orders')
    op.drop_table('work_orders')
    op.drop_index('ix_document_shares_user', table_name='document_shares')
    op.drop_index(op.f('ix_document_shares_document_id'), table_name='document_shares')
    op.drop_index('ix_document_shares_department', table_name='document_shares')
    op.drop_table('document_shares')
    op.drop_index(op.f('ix_plan_records_plan_id'), table_name='plan_records')
    op.drop_table('plan_records')
    op.drop_index(op.f('ix_documents_owner_id'), table_name='documents')
    op.drop_index(op.f('ix_documents_department_path'), table_name='documents')
    op.drop_index(op.f('ix_documents_category_id'), table_name='documents')
    op.drop_index(op.f('ix_documents_branch'), table_name='documents')
    op.drop_table('documents')
    op.drop_index('ix_call_records_scope_received', table_name='call_records')
    op.drop_index(op.f('ix_call_records_phone'), table_name='call_records')
    op.drop_index(op.f('ix_call_records_owner_id'), table_name='call_records')
    op.drop_index(op.f('ix_call_records_department_path'), table_name='call_records')
    op.drop_index(op.f('ix_call_records_branch'), table_name='call_records')
    op.drop_table('call_records')
    op.drop_index('ix_articles_title_trgm', table_name='articles', postgresql_using='gin', postgresql_ops={'title': 'gin_trgm_ops'})
    op.drop_index('ix_articles_terms', table_name='articles', postgresql_using='gin')
    op.drop_index(op.f('ix_articles_owner_id'), table_name='articles')
    op.drop_index(op.f('ix_articles_department_path'), table_name='articles')
    op.drop_index(op.f('ix_articles_category_id'), table_name='articles')
    op.drop_index('ix_articles_branch_updated', table_name='articles')
    op.drop_index(op.f('ix_articles_branch'), table_name='articles')
    op.drop_index('ix_articles_body_trgm', table_name='articles', postgresql_using='gin', postgresql_ops={'body': 'gin_trgm_ops'})
    op.drop_table('articles')
    op.drop_table('sms_opt_outs')
    op.drop_index('ix_sms_messages_scope_created', table_name='sms_messages')
    op.drop_index(op.f('ix_sms_messages_phone'), table_name='sms_messages')
    op.drop_index(op.f('ix_sms_messages_owner_id'), table_name='sms_messages')
    op.drop_index(op.f('ix_sms_messages_department_path'), table_name='sms_messages')
    op.drop_index(op.f('ix_sms_messages_branch'), table_name='sms_messages')
    op.drop_table('sms_messages')
    op.drop_index('ix_reminders_pending_due', table_name='reminders', postgresql_where="status = 'pending'")
    op.drop_index(op.f('ix_reminders_owner_id'), table_name='reminders')
    op.drop_index('ix_reminders_owner_due', table_name='reminders')
    op.drop_index(op.f('ix_reminders_department_path'), table_name='reminders')
    op.drop_index(op.f('ix_reminders_branch'), table_name='reminders')
    op.drop_table('reminders')
    op.drop_index('ix_plans_scope_start', table_name='plans')
    op.drop_index(op.f('ix_plans_owner_id'), table_name='plans')
    op.drop_index(op.f('ix_plans_department_path'), table_name='plans')
    op.drop_index(op.f('ix_plans_branch'), table_name='plans')
    op.drop_table('plans')
    op.drop_index('ix_diary_entries_scope_date', table_name='diary_entries')
    op.drop_index(op.f('ix_diary_entries_owner_id'), table_name='diary_entries')
    op.drop_index(op.f('ix_diary_entries_department_path'), table_name='diary_entries')
    op.drop_index(op.f('ix_diary_entries_branch'), table_name='diary_entries')
    op.drop_table('diary_entries')
    op.drop_index(op.f('ix_categories_path'), table_name='categories')
    op.drop_table('categories')
    op.drop_index('ix_calendar_events_scope_start', table_name='calendar_events')
    op.drop_index('ix_calendar_events_owner_start', table_name='calendar_events')
    op.drop_index(op.f('ix_calendar_events_owner_id'), table_name='calendar_events')
    op.drop_index(op.f('ix_calendar_events_department_path'), table_name='calendar_events')
    op.drop_index(op.f('ix_calendar_events_branch'), table_name='calendar_events')
    op.drop_table('calendar_events')
    # ### end Alembic commands ###
