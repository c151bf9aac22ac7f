"""Promotion: the announced TOP N of a competition carried up to the competition it feeds."""
