"""Proposals (innovations): drafts, readiness, submission, evidence and administrative review."""
