"""The judge panel: who sits on it, conflicts of interest, and who must score what.

Owns ``PanelMember`` and ``ConflictOfInterest`` rows and the assignment rule
(panel × eligible innovations − conflicts) that scoring, ranking and the innovations' access
checks rely on.
"""
