"""The stage flow: moving a competition to its next stage.

Sits above the domains: it asks each one what blocks leaving the current stage (administrative
review, scoring, the TOP N decision), refuses or moves, and applies the move's side effects. No
domain imports it; ``kipp.competitions.stages`` stays the pure transition table it follows.
"""
