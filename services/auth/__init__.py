"""Sign-in, sessions, lockout, and emailed single-use links."""
