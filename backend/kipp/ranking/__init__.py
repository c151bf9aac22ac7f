"""Ranking: how judges' final scoresheets become a ranked list.

``aggregation`` is pure (scores in → ranking out, no database): judge totals, the aggregation
methods, calibration, tie-breaks, agreement and the probability of a TOP N place.
"""
