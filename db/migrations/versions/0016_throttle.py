"""sign-in throttling and volume limits kept in the database; idle timeout of sessions;
single-use links kept apart from the mail body until delivery

Revision ID: 0016_throttle
Revises: 0011_organisation_profile
"""
from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

from db.base import UtcDateTime

revision = "0016_throttle"
down_revision = "0011_organisation_profile"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "throttle",
        sa.Column("key", sa.String(80), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("first_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("last_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", UtcDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_throttle_last_at", "throttle", ["last_at"])
    op.add_column("session_token",
                  sa.Column("last_seen_at", UtcDateTime(timezone=True), nullable=True))
    # Plain columns (no foreign key): SQLite would rebuild the table to add one.
    op.add_column("mail", sa.Column("link", sa.Text(), nullable=True))
    op.add_column("mail", sa.Column("link_user_id", sa.Integer(), nullable=True))
    op.add_column("mail", sa.Column("link_purpose", sa.String(20), nullable=True))
    _mask_links_already_stored()


# Same words as services.mail.outbox.LINK_MASK (a migration does not import the services).
MASK = "[lien personnel masqué : seul le destinataire le reçoit]"
TOKEN_IN_URL = re.compile(r"https?://\S*jeton=[A-Za-z0-9_\-]+")


def _mask_links_already_stored() -> None:
    """Mails written before links were kept apart carry the token in their body: mask it."""
    conn = op.get_bind()
    mail = sa.table("mail", sa.column("id", sa.Integer), sa.column("body", sa.Text))
    rows = conn.execute(sa.select(mail.c.id, mail.c.body)
                        .where(mail.c.body.like("%jeton=%"))).all()
    for mail_id, body in rows:
        conn.execute(sa.update(mail).where(mail.c.id == mail_id)
                     .values(body=TOKEN_IN_URL.sub(MASK, body)))


def downgrade() -> None:
    for name in ("link_purpose", "link_user_id", "link"):
        op.drop_column("mail", name)
    op.drop_column("session_token", "last_seen_at")
    op.drop_index("ix_throttle_last_at", table_name="throttle")
    op.drop_table("throttle")
