"""Scoring: the judges' scoresheets (draft, final, reopened) during the presentation stage.

Owns ``Scoresheet`` and ``Score`` rows; who may score what comes from ``kipp.panel``, the
criteria from ``kipp.rubric``.
"""
