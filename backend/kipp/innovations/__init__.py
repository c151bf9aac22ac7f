"""Proposals (innovations): drafts, readiness, submission, evidence and administrative review.

``access`` (who may read and act), ``queries`` (views and lists), ``drafts``, ``submission``,
``attachments`` (+ ``storage``), ``review``; every status change goes through ``lifecycle``.
"""
