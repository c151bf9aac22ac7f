"""Where a promoted proposal came from, and who may see it and read it (one place)."""
