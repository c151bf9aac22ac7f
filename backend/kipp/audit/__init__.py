"""The audit log: an append-only, hash-chained record of every state change.

Owns ``AuditEvent`` rows: ``record`` (in the caller's transaction: who, when, what, before →
after, reason), the organising team's list with filters, and the chain's verification (against
an optional anchor written down outside KIPP).
"""
