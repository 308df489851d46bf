"""Flags, hiding, locking, moving, blocking, posting limits and the audit log."""
