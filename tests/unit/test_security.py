from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

from jose import jwt

from kipp.security import (
    ALGORITHM,
    create_access_token,
    decode_access_token,
    hash_password,
    new_opaque_token,
    token_digest,
    verify_password,
)

SECRET = "unit-test-secret-0123456789abcdef"


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_password_hash_round_trip() -> None:
    hashed = hash_password("s3cret-password")
    assert hashed.startswith("$argon2")
    assert verify_password("s3cret-password", hashed)
    assert not verify_password("wrong-password", hashed)


def test_unknown_user_never_verifies_even_with_dummy_password() -> None:
    assert not verify_password("kipp-dummy-password-for-timing", None)
    assert not verify_password("anything", None)


def test_garbage_hash_is_a_failed_verification() -> None:
    assert not verify_password("x", "not-a-hash")


def test_access_token_round_trip() -> None:
    token = create_access_token(user_id=42, secret_key=SECRET, lifetime=timedelta(minutes=5))
    assert decode_access_token(token, secret_key=SECRET) == 42


def test_expired_token_is_refused() -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    token = create_access_token(
        user_id=1, secret_key=SECRET, lifetime=timedelta(minutes=5), now=past
    )
    assert decode_access_token(token, secret_key=SECRET) is None


def test_wrong_key_is_refused() -> None:
    token = create_access_token(user_id=1, secret_key=SECRET, lifetime=timedelta(minutes=5))
    assert decode_access_token(token, secret_key=SECRET + "x") is None


def test_alg_none_is_refused() -> None:
    exp = int((datetime.now(UTC) + timedelta(minutes=5)).timestamp())
    token = (
        f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({'sub': '1', 'type': 'access', 'exp': exp})}."
    )
    assert decode_access_token(token, secret_key=SECRET) is None


def test_tampered_payload_is_refused() -> None:
    token = create_access_token(user_id=1, secret_key=SECRET, lifetime=timedelta(minutes=5))
    header, _payload, signature = token.split(".")
    exp = int((datetime.now(UTC) + timedelta(minutes=5)).timestamp())
    forged = f"{header}.{_b64({'sub': '2', 'type': 'access', 'exp': exp})}.{signature}"
    assert decode_access_token(forged, secret_key=SECRET) is None


def test_token_of_another_type_is_refused() -> None:
    exp = int((datetime.now(UTC) + timedelta(minutes=5)).timestamp())
    token = jwt.encode({"sub": "1", "type": "refresh", "exp": exp}, SECRET, algorithm=ALGORITHM)
    assert decode_access_token(token, secret_key=SECRET) is None


def test_non_numeric_subject_is_refused() -> None:
    exp = int((datetime.now(UTC) + timedelta(minutes=5)).timestamp())
    token = jwt.encode({"sub": "admin", "type": "access", "exp": exp}, SECRET, algorithm=ALGORITHM)
    assert decode_access_token(token, secret_key=SECRET) is None


def test_opaque_tokens_are_random_and_digested() -> None:
    a, b = new_opaque_token("p_"), new_opaque_token("p_")
    assert a != b and a.startswith("p_")
    assert token_digest(a) == token_digest(a) != token_digest(b)
    assert len(token_digest(a)) == 64
