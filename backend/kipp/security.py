"""Password hashing and token primitives. No database here."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from jose import JWTError, jwt

ALGORITHM = "HS256"
ACCESS_TOKEN_TYPE = "access"
API_TOKEN_PREFIX = "kipp_pat_"
REFRESH_TOKEN_PREFIX = "kipp_rt_"

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


def create_access_token(
    *, user_id: int, secret_key: str, lifetime: timedelta, now: datetime | None = None
) -> str:
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "type": ACCESS_TOKEN_TYPE,
        "iat": int(issued.timestamp()),
        "exp": int((issued + lifetime).timestamp()),
        "jti": secrets.token_hex(8),
    }
    return str(jwt.encode(claims, secret_key, algorithm=ALGORITHM))


def decode_access_token(token: str, *, secret_key: str) -> int | None:
    """The user id of a valid access token, or None (bad signature, alg, expiry or shape)."""
    try:
        claims = jwt.decode(token, secret_key, algorithms=[ALGORITHM])
    except JWTError:
        return None
    if claims.get("type") != ACCESS_TOKEN_TYPE:
        return None
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject.isdigit():
        return None
    return int(subject)


def new_opaque_token(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Opaque tokens are stored as SHA-256 digests: they are random, so no salt is needed."""
    return hashlib.sha256(token.encode()).hexdigest()
