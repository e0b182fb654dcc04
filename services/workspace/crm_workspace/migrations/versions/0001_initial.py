"""initial

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 21:30:09.009159
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
    op.create_table('announcements',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('audience_department_paths', postgresql.ARRAY(sa.String(length=500)), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('department_path', sa.String(length=500), nullable=False),
    sa.Column('branch', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('expires_at IS NULL OR expires_at > published_at', name='ck_announcements_expires_after_published'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_announcements_audience', 'announcements', ['audience_department_paths'], unique=False, postgresql_using='gin')
    op.create_index(op.f('ix_announcements_branch'), 'announcements', ['branch'], unique=False)
    op.create_index('ix_announcements_branch_published', 'announcements', ['branch', 'published_at'], unique=False)
    op.create_index(op.f('ix_announcements_department_path'), 'announcements', ['department_path'], unique=False)
    op.create_index(op.f('ix_announcements_owner_id'), 'announcements', ['owner_id'], unique=False)
    op.create_table('notifications',
    sa.Column('id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('kind', sa.String(length=50), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('link', sa.String(length=300), nullable=True),
    sa.Column('recipient_user_id', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('audience_permission', sa.String(length=100), nullable=True),
    sa.Column('owner_id', sa.Uuid(as_uuid=False), nullable=True),
    sa.Column('department_path', sa.String(length=500), nullable=True),
    sa.Column('branch', sa.String(length=20), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('(recipient_user_id IS NULL) <> (audience_permission IS NULL)', name='ck_notifications_one_addressee'),
    sa.CheckConstraint('audience_permission IS NULL OR (owner_id IS NOT NULL AND department_path IS NOT NULL AND branch IS NOT NULL)', name='ck_notifications_audience_scoped'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_notifications_audience', 'notifications', ['audience_permission', 'branch', 'department_path'], unique=False)
    op.create_index('ix_notifications_created', 'notifications', ['created_at', 'id'], unique=False)
    op.create_index(op.f('ix_notifications_recipient_user_id'), 'notifications', ['recipient_user_id'], unique=False)
    op.create_table('announcement_reads',
    sa.Column('announcement_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('user_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['announcement_id'], ['announcements.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('announcement_id', 'user_id')
    )
    op.create_table('notification_reads',
    sa.Column('notification_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('user_id', sa.Uuid(as_uuid=False), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['notification_id'], ['notifications.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('notification_id', 'user_id')
    )


def downgrade():
    drop_plumbing_tables(op.get_bind())
    op.drop_table('notification_reads')
    op.drop_table('announcement_reads')
    op.drop_index(op.f('ix_notifications_recipient_user_id'), table_name='notifications')
    op.drop_index('ix_notifications_created', table_name='notifications')
    op.drop_index('ix_notifications_audience', table_name='notifications')
    op.drop_table('notifications')
    op.drop_index(op.f('ix_announcements_owner_id'), table_name='announcements')
    op.drop_index(op.f('ix_announcements_department_path'), table_name='announcements')
    op.drop_index('ix_announcements_branch_published', table_name='announcements')
    op.drop_index(op.f('ix_announcements_branch'), table_name='announcements')
    op.drop_index('ix_announcements_audience', table_name='announcements', postgresql_using='gin')
    op.drop_table('announcements')
