"""Outgoing mail: queued in the caller's transaction, delivered after it commits."""
