"""documents: types of pièces à fournir, files uploaded by families and reviewed by reception;
absences declared by families past the cancel deadline

Revision ID: 0023_documents
Revises: 0017_due_rule
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from db.base import UtcDateTime

revision = "0023_documents"
down_revision = "0021_invoices"
branch_labels = None
depends_on = None

# (name, type, server default) added to document: plain ADD COLUMN (see 0009_meal), no
# rebuild of a table other tables point to.
_COLUMNS = [("status", "VARCHAR(20) NOT NULL DEFAULT 'accepted'"),
            ("stored_name", "VARCHAR(64)"),
            ("file_name", "VARCHAR(200) NOT NULL DEFAULT ''"),
            ("content_type", "VARCHAR(40) NOT NULL DEFAULT ''"),
            ("size_bytes", "INTEGER NOT NULL DEFAULT 0"),
            ("refusal_reason", "TEXT NOT NULL DEFAULT ''")]
_TIMES = ("uploaded_at", "decided_at")


def upgrade() -> None:
    op.create_table(
        "document_type",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("validity_months", sa.Integer(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_type")),
        sa.UniqueConstraint("name", name=op.f("uq_document_type_name")))
    op.execute("ALTER TABLE document ADD COLUMN type_id INTEGER "
               "CONSTRAINT fk_document_type_id_document_type REFERENCES document_type (id)")
    for name, ddl in _COLUMNS:
        op.execute(f"ALTER TABLE document ADD COLUMN {name} {ddl}")
    for name in _TIMES:
        op.add_column("document", sa.Column(name, UtcDateTime(), nullable=True))
    op.create_index("ix_document_stored_name", "document", ["stored_name"], unique=True)
    op.create_table(
        "absence_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reservation_id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("proof_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("declared_at", UtcDateTime(), nullable=False),
        sa.Column("decided_at", UtcDateTime(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["reservation_id"], ["reservation.id"],
                                name=op.f("fk_absence_notice_reservation_id_reservation")),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"],
                                name=op.f("fk_absence_notice_family_id_family")),
        sa.ForeignKeyConstraint(["proof_id"], ["document.id"],
                                name=op.f("fk_absence_notice_proof_id_document")),
        sa.ForeignKeyConstraint(["decided_by"], ["user_account.id"],
                                name=op.f("fk_absence_notice_decided_by_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absence_notice")),
        sa.UniqueConstraint("reservation_id", name=op.f("uq_absence_notice_reservation_id")))
    op.create_index("ix_absence_notice_family_id", "absence_notice", ["family_id"])


def downgrade() -> None:
    op.drop_index("ix_absence_notice_family_id", "absence_notice")
    op.drop_table("absence_notice")
    op.drop_index("ix_document_stored_name", "document")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_document_type_id_document_type", "document", type_="foreignkey")
    for name in ("type_id", *(n for n, _ in _COLUMNS), *_TIMES):
        # SQLite drops a column a REFERENCES clause names since 3.35 as long as no index
        # or constraint outside it uses it.
        op.execute(f"ALTER TABLE document DROP COLUMN {name}")
    op.drop_table("document_type")
