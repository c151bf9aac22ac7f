"""The rubric: a competition's scoring criteria, their weights and scales.

Owns ``Criterion`` rows: reading them (admins and the panel), replacing the whole rubric, and
freezing it once scoring starts.
"""
