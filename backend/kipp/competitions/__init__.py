"""Competitions: a round of KIPP with its settings and its five stage windows.

Owns ``Competition`` and ``Stage`` rows: creating and editing them (windows in order, in the
competition's time zone), the defaults (proposal template, checklist, rubric), the pure stage
table (``stages``) and who may see a competition (``policy``: published, or the organisers).
Moving to the next stage is the stage flow's (``kipp.stageflow``), which sits above the domains.
"""
