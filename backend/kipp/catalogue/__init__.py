"""The public innovation catalogue across organisations and years (issue 12).

``query`` (pure: the words and filters of a search), ``repository`` (what is in the catalogue
and the search SQL on SQLite FTS5 / PostgreSQL full text), ``service`` (search, one
innovation's public page), ``router`` (``GET /public/catalogue``, ``GET /public/innovations/{id}``).
The words are indexed by database triggers (migration 0015).
"""
