"""Ranking: how judges' final scoresheets become a ranked list.

``aggregation`` is pure (scores in → ranking out, no database): judge totals, the aggregation
methods, calibration, tie-breaks, agreement and the probability of a TOP N place.

``service`` loads a competition's final scores for it (and decides who may see the ranking);
``router`` serves ``GET …/ranking``.
"""
