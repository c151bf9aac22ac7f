"""The `kipp` command, run as a user runs it: a subprocess on its own SQLite database."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

KIPP = [sys.executable, "-m", "kipp.cli"]


@pytest.fixture
def kipp_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIPP_")}
    env.update(
        {
            "KIPP_ENVIRONMENT": "development",
            "KIPP_VAR_DIR": str(tmp_path / "var"),
            "KIPP_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}",
        }
    )
    return env


def kipp(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KIPP, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_upgrade_create_admin_and_log_in(kipp_env: dict[str, str], tmp_path: Path) -> None:
    assert kipp(kipp_env, "db", "upgrade").returncode == 0
    created = kipp(
        kipp_env,
        "create-admin",
        "tim@organisasi.go.id",
        "--password",
        "a-long-password",
        "--name",
        "Tim Pelaksana",
    )
    assert created.returncode == 0, created.stderr
    assert "tim@organisasi.go.id" in created.stdout
    again = kipp(kipp_env, "create-admin", "tim@organisasi.go.id", "--password", "another-one")
    assert again.returncode == 1 and "already" in again.stderr
    short = kipp(kipp_env, "create-admin", "x@organisasi.go.id", "--password", "short")
    assert short.returncode == 2
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        rows = db.execute("SELECT email, role FROM users").fetchall()
    assert rows == [("tim@organisasi.go.id", "admin")]
    # Development generated its secret once, kept in var/.
    assert (tmp_path / "var" / "secret_key").read_text().strip()


def test_create_organisation_and_its_organiser(kipp_env: dict[str, str], tmp_path: Path) -> None:
    assert kipp(kipp_env, "db", "upgrade").returncode == 0
    admin = kipp(kipp_env, "create-admin", "tim@kipp.example", "--password", "a-long-password")
    assert admin.returncode == 0, admin.stderr
    made = kipp(
        kipp_env,
        "create-organisation",
        "palopo",
        "--name",
        "Pemerintah Kota Palopo",
        "--level",
        "kota",
        "--region",
        "Kota Palopo",
    )
    assert made.returncode == 0, made.stderr
    assert "palopo" in made.stdout
    again = kipp(kipp_env, "create-organisation", "palopo", "--name", "X", "--level", "kota")
    assert again.returncode == 1 and "already" in again.stderr
    bad = kipp(kipp_env, "create-organisation", "Bad Slug", "--name", "X", "--level", "kota")
    assert bad.returncode == 2
    wrong_level = kipp(kipp_env, "create-organisation", "desa", "--name", "X", "--level", "desa")
    assert wrong_level.returncode == 2
    organiser = kipp(
        kipp_env,
        "create-organiser",
        "panitia@palopokota.go.id",
        "--organisation",
        "palopo",
        "--password",
        "a-long-password",
    )
    assert organiser.returncode == 0, organiser.stderr
    nowhere = kipp(
        kipp_env,
        "create-organiser",
        "x@example.com",
        "--organisation",
        "nowhere",
        "--password",
        "a-long-password",
    )
    assert nowhere.returncode == 1 and "nowhere" in nowhere.stderr
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        rows = db.execute(
            "SELECT u.email, u.role, o.slug FROM users u JOIN organisations o"
            " ON o.id = u.organisation_id ORDER BY u.id"
        ).fetchall()
        default_slug = db.execute("SELECT slug FROM organisations ORDER BY id LIMIT 1").fetchone()
        actions = db.execute("SELECT action FROM audit_events ORDER BY id").fetchall()
    # The platform admin sits in the default organisation; the organiser in its own.
    assert rows == [
        ("tim@kipp.example", "admin", default_slug[0]),
        ("panitia@palopokota.go.id", "organiser", "palopo"),
    ]
    assert ("organisation.create",) in actions


def test_seed_demo_is_idempotent_and_audit_verify_finds_tampering(
    kipp_env: dict[str, str], tmp_path: Path
) -> None:
    assert kipp(kipp_env, "db", "upgrade").returncode == 0
    first = kipp(kipp_env, "seed-demo")
    assert first.returncode == 0, first.stderr
    assert "admin@demo.kipp.id" in first.stdout and "kipp-demo-2021" in first.stdout
    second = kipp(kipp_env, "seed-demo")
    assert "nothing new" in second.stdout
    intact = kipp(kipp_env, "audit", "verify")
    assert intact.returncode == 0 and "intact" in intact.stdout
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        db.execute("UPDATE audit_events SET reason = 'edited' WHERE id = 3")
    broken = kipp(kipp_env, "audit", "verify")
    assert broken.returncode == 1
    assert "event 3" in broken.stderr


def test_openapi_prints_and_writes_the_spec(kipp_env: dict[str, str], tmp_path: Path) -> None:
    printed = kipp(kipp_env, "openapi")
    assert printed.returncode == 0
    assert json.loads(printed.stdout)["info"]["title"] == "KIPP API"
    out = tmp_path / "spec.json"
    assert kipp(kipp_env, "openapi", "--output", str(out)).returncode == 0
    assert json.loads(out.read_text()) == json.loads(printed.stdout)


def test_production_refuses_a_missing_secret(kipp_env: dict[str, str]) -> None:
    env = {**kipp_env, "KIPP_ENVIRONMENT": "production"}
    result = kipp(env, "db", "upgrade")
    assert result.returncode != 0
    assert "KIPP_SECRET_KEY" in result.stderr


def test_audit_verify_prints_the_head_and_checks_an_anchor(
    kipp_env: dict[str, str], tmp_path: Path
) -> None:
    assert kipp(kipp_env, "db", "upgrade").returncode == 0
    for email in ("tim@organisasi.go.id", "wakil@organisasi.go.id"):
        assert (
            kipp(kipp_env, "create-admin", email, "--password", "a-long-password").returncode == 0
        )
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        head_id, head_hash = db.execute(
            "SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1"
        ).fetchone()
    intact = kipp(kipp_env, "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert f"Head: {head_hash} (event {head_id}, 2 events)" in intact.stdout
    anchored = kipp(kipp_env, "audit", "verify", "--anchor", head_hash)
    assert anchored.returncode == 0 and f"event {head_id}, position 2" in anchored.stdout

    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:  # the newest event, quietly removed
        db.execute("DELETE FROM audit_events WHERE id = ?", (head_id,))
    assert kipp(kipp_env, "audit", "verify").returncode == 0  # a shorter chain is still a chain
    caught = kipp(kipp_env, "audit", "verify", "--anchor", head_hash)
    assert caught.returncode == 1
    assert f"anchor {head_hash}: no longer in the chain" in caught.stderr
    assert kipp(kipp_env, "audit", "verify", "--anchor", "not-a-hash").returncode == 2


def test_seed_demo_is_refused_outside_development(kipp_env: dict[str, str], tmp_path: Path) -> None:
    # Issue 10, #9: the demo accounts' passwords are public.
    env = {**kipp_env, "KIPP_ENVIRONMENT": "production", "KIPP_SECRET_KEY": "s" * 48}
    assert kipp(env, "db", "upgrade").returncode == 0
    refused = kipp(env, "seed-demo")
    assert refused.returncode == 2
    assert "development" in refused.stderr and "kipp-demo-2021" not in refused.stdout
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM users").fetchone() == (0,)


def test_production_refuses_a_short_secret(kipp_env: dict[str, str]) -> None:
    env = {**kipp_env, "KIPP_ENVIRONMENT": "production", "KIPP_SECRET_KEY": "abc"}
    result = kipp(env, "db", "upgrade")
    assert result.returncode != 0
    assert "at least 32 bytes" in result.stderr


def test_serve_does_not_let_uvicorn_trust_forwarded_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Issue 10, #5: uvicorn's proxy_headers trust 127.0.0.1 by default; the app decides instead
    # (KIPP_TRUSTED_PROXIES, empty by default).
    import uvicorn
    from typer.testing import CliRunner

    from kipp.cli import app

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    result = CliRunner().invoke(app, ["serve", "--port", "8999"])
    assert result.exit_code == 0, result.output
    assert calls and calls[0]["proxy_headers"] is False
    assert "forwarded_allow_ips" not in calls[0]
