"""Storage: SQLAlchemy models, engine and sessions, settings, Alembic migrations."""
