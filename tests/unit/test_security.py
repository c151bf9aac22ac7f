from __future__ import annotations

import base64
import ipaddress
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from jose import jwt
from pydantic import ValidationError

from kipp.config import IPNetwork, Settings
from kipp.deps import forwarded_client
from kipp.schemas import one_line_text
from kipp.security import (
    ALGORITHM,
    AccessClaims,
    create_access_token,
    decode_access_claims,
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


def test_a_token_without_expiry_is_refused() -> None:
    token = jwt.encode({"sub": "1", "type": "access", "sv": 1}, SECRET, algorithm=ALGORITHM)
    assert decode_access_token(token, secret_key=SECRET) is None


def test_the_session_version_travels_in_the_token() -> None:
    token = create_access_token(
        user_id=7, secret_key=SECRET, lifetime=timedelta(minutes=5), session_version=3
    )
    assert decode_access_claims(token, secret_key=SECRET) == AccessClaims(7, 3)
    exp = int((datetime.now(UTC) + timedelta(minutes=5)).timestamp())
    without = jwt.encode({"sub": "7", "type": "access", "exp": exp}, SECRET, algorithm=ALGORITHM)
    assert decode_access_claims(without, secret_key=SECRET) is None


TRUSTED = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("::1/128"))


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "trusted", "client"),
    [
        ("10.0.0.5", "203.0.113.9", (), "10.0.0.5"),  # nobody trusted: the peer
        ("198.51.100.1", "203.0.113.9", TRUSTED, "198.51.100.1"),  # untrusted peer
        ("10.0.0.5", "203.0.113.9", TRUSTED, "203.0.113.9"),
        ("10.0.0.5", "1.2.3.4, 203.0.113.9, 10.0.0.7", TRUSTED, "203.0.113.9"),  # spoof on left
        ("10.0.0.5", "garbage, 10.0.0.7", TRUSTED, "10.0.0.7"),
        ("::1", "2001:db8::1", TRUSTED, "2001:db8::1"),
        ("10.0.0.5", None, TRUSTED, "10.0.0.5"),
    ],
)
def test_forwarded_client(
    peer: str, forwarded_for: str | None, trusted: tuple[IPNetwork, ...], client: str
) -> None:
    assert forwarded_client(peer=peer, forwarded_for=forwarded_for, trusted=trusted) == client


@pytest.mark.parametrize(
    "title", ["a\x00b", "line\nbreak", "tab\there", "evil\u202ereversed", "iso\u2066late", "\x7f"]
)
def test_titles_refuse_control_and_bidi_characters(title: str) -> None:
    with pytest.raises(ValueError, match="U\\+"):
        one_line_text(title)


def test_titles_keep_ordinary_text() -> None:
    for title in ("Sistem Informasi Pelayanan Terpadu", "Layanan “Sister Rina” — 2021", "مرحبا"):
        assert one_line_text(title) == title


def test_the_secret_key_is_long_enough_outside_development(tmp_path: Path) -> None:
    for environment in ("test", "production"):
        with pytest.raises(ValidationError, match="32 bytes"):
            Settings(environment=environment, secret_key="abc", var_dir=tmp_path)
        assert Settings(environment=environment, secret_key="k" * 32, var_dir=tmp_path)
    # Development keeps working with whatever a developer set.
    assert Settings(environment="development", secret_key="short", var_dir=tmp_path)


def test_trusted_proxies_read_as_a_comma_or_json_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIPP_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.1")
    assert Settings(var_dir=tmp_path).trusted_proxies == ["10.0.0.0/8", "192.0.2.1"]
    monkeypatch.setenv("KIPP_TRUSTED_PROXIES", '["::1"]')
    assert Settings(var_dir=tmp_path).trusted_proxies == ["::1"]
    monkeypatch.setenv("KIPP_TRUSTED_PROXIES", "not-an-address")
    with pytest.raises(ValidationError):
        Settings(var_dir=tmp_path)
    monkeypatch.delenv("KIPP_TRUSTED_PROXIES")
    assert Settings(var_dir=tmp_path).trusted_proxies == []
