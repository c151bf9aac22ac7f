"""Password hashing and token primitives. No database here."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from jose import JWTError, jwt

ALGORITHM = "HS256"
ACCESS_TOKEN_TYPE = "access"
API_TOKEN_PREFIX = "kipp_pat_"
REFRESH_TOKEN_PREFIX = "kipp_rt_"
SESSION_VERSION_CLAIM = "sv"

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so an unknown account costs the same time.
_DUMMY_HASH = _hasher.hash("kipp-dummy-password-for-timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Check a password; with no hash (unknown user) spend the same time and fail."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class AccessClaims:
    """What a valid access token says: whose it is and the session version it was issued in."""

    user_id: int
    session_version: int


def create_access_token(
    *,
    user_id: int,
    secret_key: str,
    lifetime: timedelta,
    now: datetime | None = None,
    session_version: int = 1,
) -> str:
    """A signed access JWT carrying the user's session version (``sv``), checked per request."""
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "type": ACCESS_TOKEN_TYPE,
        SESSION_VERSION_CLAIM: session_version,
        "iat": int(issued.timestamp()),
        "exp": int((issued + lifetime).timestamp()),
        "jti": secrets.token_hex(8),
    }
    return str(jwt.encode(claims, secret_key, algorithm=ALGORITHM))


def decode_access_claims(token: str, *, secret_key: str) -> AccessClaims | None:
    """The claims of a valid access token, or None (bad signature, alg, expiry or shape).

    ``exp`` is required: a token without one would never expire.
    """
    try:
        claims = jwt.decode(
            token, secret_key, algorithms=[ALGORITHM], options={"require_exp": True}
        )
    except JWTError:
        return None
    if claims.get("type") != ACCESS_TOKEN_TYPE:
        return None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdigit() or len(subject) > 18:
        return None
    version = claims.get(SESSION_VERSION_CLAIM)
    if not isinstance(version, int) or isinstance(version, bool):
        return None
    return AccessClaims(user_id=int(subject), session_version=version)


def decode_access_token(token: str, *, secret_key: str) -> int | None:
    """The user id of a valid access token, or None."""
    claims = decode_access_claims(token, secret_key=secret_key)
    return claims.user_id if claims is not None else None


def new_opaque_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Opaque tokens are stored as SHA-256 digests: they are random, so no salt is needed."""
    return hashlib.sha256(token.encode()).hexdigest()
