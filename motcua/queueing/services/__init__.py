"""Queue writes: every change goes through these services (one transaction, locks, permission checks)."""
