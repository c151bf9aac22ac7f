"""The built SPA as a phone on 3G wants it: precompressed, cached for good, revalidated cheaply.

``make install`` (``npm run build``) writes a ``.br`` and a ``.gz`` beside every text file of
``frontend/dist``; this module picks one by the request's ``Accept-Encoding`` (br, then gzip, then
the file itself) and says so (``Content-Encoding``, ``Vary: Accept-Encoding``). Nothing is
compressed while serving.

Caching: files under ``/assets/`` carry a content hash in their name, so they never change —
``Cache-Control: public, max-age=31536000, immutable`` and the browser does not even ask again.
Everything else (``index.html``, the icons, the history-mode fallback) is ``no-cache``: the browser
asks every time, with the strong ETag (a hash of the bytes sent) or the Last-Modified date it
kept, and gets a body-less 304 while nothing changed.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
HASHED_DIR = "assets"
# Preferred first; identity is what is left when neither is accepted (or precompressed).
ENCODINGS: tuple[tuple[str, str], ...] = (("br", ".br"), ("gzip", ".gz"))
PRECOMPRESSED_SUFFIXES = frozenset(suffix for _, suffix in ENCODINGS)
# Media types of the files the build does not compress: Content-Type comes from the original.
mimetypes.add_type("application/manifest+json", ".webmanifest")


def accepted_encodings(accept_encoding: str | None) -> dict[str, float]:
    """The codings of an ``Accept-Encoding`` header with their quality (RFC 9110 §12.5.3);
    ``*`` stands for any coding not named. Lower-cased; a malformed quality counts as 0."""
    accepted: dict[str, float] = {}
    for part in (accept_encoding or "").split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
        accepted[name] = quality
    return accepted


def choose_encoding(accept_encoding: str | None, available: set[str]) -> str | None:
    """The best coding the client accepts among ``available`` (br > gzip), or None for the
    file as it is."""
    accepted = accepted_encodings(accept_encoding)
    best: tuple[float, int, str] | None = None
    for rank, (coding, _) in enumerate(ENCODINGS):
        if coding not in available:
            continue
        quality = accepted.get(coding, accepted.get("*", 0.0))
        if quality <= 0:
            continue
        candidate = (quality, -rank, coding)
        if best is None or candidate > best:
            best = candidate
    return best[2] if best else None


@dataclass(frozen=True)
class _Variant:
    path: Path
    etag: str
    last_modified: str
    mtime: float


class SpaFiles:
    """Answers for the files of one ``dist`` directory (see the module docstring)."""

    def __init__(self, dist: Path, *, compressed: bool = True) -> None:
        self.dist = dist.resolve()
        self.encodings = ENCODINGS if compressed else ()
        # (path, mtime_ns, size) → ETag: hashing a file once per build, not once per request.
        self._etags: dict[tuple[str, int, int], str] = {}

    def find(self, path: str) -> Path | None:
        """The file a URL path names inside ``dist``, or None (outside it, absent, a directory,
        or a precompressed copy, which is only ever sent in place of its original)."""
        if not path:
            return None
        candidate = (self.dist / path).resolve()
        if self.dist not in candidate.parents or not candidate.is_file():
            return None
        if candidate.suffix in PRECOMPRESSED_SUFFIXES:
            return None
        return candidate

    def response(self, file: Path, request_headers: Headers) -> Response:
        """The file, or its best precompressed copy, with caching headers; 304 when the
        client's copy is current."""
        available = {
            coding
            for coding, suffix in self.encodings
            if file.with_name(file.name + suffix).is_file()
        }
        coding = choose_encoding(request_headers.get("accept-encoding"), available)
        sent = file if coding is None else file.with_name(file.name + dict(ENCODINGS)[coding])
        variant = self._variant(sent)
        relative = file.relative_to(self.dist).parts
        headers = {
            "Cache-Control": IMMUTABLE if relative[0] == HASHED_DIR else REVALIDATE,
            "ETag": variant.etag,
            "Last-Modified": variant.last_modified,
        }
        if available:
            headers["Vary"] = "Accept-Encoding"
        if _not_modified(request_headers, variant):
            return Response(status_code=304, headers=headers)
        if coding is not None:
            headers["Content-Encoding"] = coding
        media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return FileResponse(sent, media_type=media_type, headers=headers)

    def _variant(self, path: Path) -> _Variant:
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        etag = self._etags.get(key)
        if etag is None:
            digest = hashlib.blake2b(path.read_bytes(), digest_size=12).hexdigest()
            etag = self._etags[key] = f'"{digest}"'
        return _Variant(
            path=path,
            etag=etag,
            last_modified=formatdate(stat.st_mtime, usegmt=True),
            mtime=stat.st_mtime,
        )


def _not_modified(headers: Headers, variant: _Variant) -> bool:
    """RFC 9110 §13.1.2/§13.1.3: If-None-Match (weak comparison) wins over If-Modified-Since."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or variant.etag in tags
    if_modified_since = headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since).timestamp()
        except (TypeError, ValueError):
            return False
        return int(variant.mtime) <= since
    return False


def is_hashed_asset(path: str) -> bool:
    """A URL path under /assets/: a build output whose name carries its content hash."""
    return path.startswith(HASHED_DIR + "/")
