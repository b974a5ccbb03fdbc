"""invoices as accounting documents (#14): frozen lines, the PDF as issued, one unbroken
numbering sequence per organisation (a counter row, never a database sequence: those have gaps)

Invoices written before this revision were rebuilt at every download (their number and total
changed with later bookings): they were not issued documents, so they are forgotten here and
the next download issues the month's invoice for good.

Revision ID: 0021_invoices
Revises: 0017_due_rule
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021_invoices"
down_revision = "0017_due_rule"
branch_labels = None
depends_on = None

COLUMNS = ("kind", "organisation_id", "sequence", "corrects_id", "pdf")


def upgrade() -> None:
    op.execute("UPDATE charge SET invoice_id = NULL")
    op.execute("DELETE FROM invoice")
    # Plain ADD COLUMN (see 0009_meal): no table rebuild, which charge's foreign key refuses.
    op.add_column("invoice", sa.Column("kind", sa.String(20), nullable=False,
                                       server_default="invoice"))
    op.add_column("invoice", sa.Column("organisation_id", sa.Integer(), nullable=False,
                                       server_default="0"))
    op.add_column("invoice", sa.Column("sequence", sa.Integer(), nullable=False,
                                       server_default="0"))
    op.add_column("invoice", sa.Column("corrects_id", sa.Integer(), nullable=True))
    op.add_column("invoice", sa.Column("pdf", sa.LargeBinary(), nullable=True))
    op.create_index("ix_invoice_sequence", "invoice", ["organisation_id", "sequence"],
                    unique=True)
    op.create_index("ix_invoice_family_month", "invoice", ["family_id", "month"])
    op.create_table(
        "invoice_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("charge_id", sa.Integer(), nullable=False),
        sa.Column("child", sa.String(200), nullable=False),
        sa.Column("label", sa.String(300), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoice.id"],
                                name=op.f("fk_invoice_line_invoice_id_invoice")),
        sa.ForeignKeyConstraint(["charge_id"], ["charge.id"],
                                name=op.f("fk_invoice_line_charge_id_charge")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoice_line")))
    op.create_index(op.f("ix_invoice_line_invoice_id"), "invoice_line", ["invoice_id"])
    op.create_index(op.f("ix_invoice_line_charge_id"), "invoice_line", ["charge_id"])
    op.create_table(
        "invoice_counter",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"],
                                name=op.f("fk_invoice_counter_organisation_id_organisation")),
        sa.PrimaryKeyConstraint("organisation_id", name=op.f("pk_invoice_counter")))


def downgrade() -> None:
    op.drop_table("invoice_counter")
    op.drop_index(op.f("ix_invoice_line_charge_id"), table_name="invoice_line")
    op.drop_index(op.f("ix_invoice_line_invoice_id"), table_name="invoice_line")
    op.drop_table("invoice_line")
    op.drop_index("ix_invoice_family_month", table_name="invoice")
    op.drop_index("ix_invoice_sequence", table_name="invoice")
    for column in COLUMNS:  # plain DROP COLUMN, as in 0017_due_rule
        op.execute(f"ALTER TABLE invoice DROP COLUMN {column}")
