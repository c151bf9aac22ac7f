"""Results: the panel's TOP N decision and what follows it.

The nomination (validated against the computed ranking), the frozen results manifest, the
public announcement, objections (uji publik), finalising the winners, and the judging's tables
for download.
"""
