"""Backups that restore: `kipp backup` → wipe → `kipp restore` → the same rows, the same
files, an intact audit chain; a damaged archive is refused and changes nothing.

Run as a user runs it (the `kipp` command in a subprocess) on its own database: SQLite by
default, PostgreSQL when KIPP_TEST_DATABASE_URL names one (a database of its own is created
beside it, since the restore replaces the whole schema).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kipp import backup
from kipp.storage import open_url
from tests.s3 import S3Server

KIPP = [sys.executable, "-m", "kipp.cli"]
_BASE = os.environ.get("KIPP_TEST_DATABASE_URL", "")


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    if not _BASE.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'kipp.sqlite3'}"
        return
    if shutil.which("pg_dump") is None:
        pytest.fail("PostgreSQL backups need pg_dump and pg_restore (postgresql-client)")
    url = make_url(_BASE)
    name = f"{url.database}_backup"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def kipp_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIPP_")}
    env.update(
        {
            "KIPP_ENVIRONMENT": "development",
            "KIPP_VAR_DIR": str(tmp_path / "var"),
            "KIPP_STORAGE_DIR": str(tmp_path / "storage"),
            "KIPP_DATABASE_URL": database_url,
        }
    )
    return env


def kipp(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KIPP, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _file_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _wipe(database_url: str, storage: Path) -> None:
    if database_url.startswith("sqlite"):
        Path(make_url(database_url).database or "").unlink()
    else:
        engine = create_engine(database_url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    shutil.rmtree(storage)


@pytest.fixture
def loaded(kipp_env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """A migrated database with the demo loaded and evidence files in storage."""
    assert kipp(kipp_env, "db", "upgrade").returncode == 0
    seeded = kipp(kipp_env, "seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    evidence = tmp_path / "storage" / "innovation-1"
    evidence.mkdir(parents=True)
    (evidence / "laporan.pdf").write_bytes(b"%PDF-1.4\n" + os.urandom(50_000))
    (evidence / "foto.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(20_000))
    return kipp_env


def test_backup_wipe_restore_gives_back_every_row_and_file(
    loaded: dict[str, str], tmp_path: Path, database_url: str
) -> None:
    storage = tmp_path / "storage"
    revision, counts = backup.database_summary(database_url)
    files = _file_hashes(storage)
    # The two placed here, and the demo's: Luwu Utara's TOP 7 evidence and its copies in the
    # provincial competition they were promoted to.
    assert counts["innovations"] > 0 and counts["audit_events"] > 0 and len(files) == 2 + 2 * 7

    archive = tmp_path / "backups" / "kipp.tar.gz"
    made = kipp(loaded, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    assert f"{len(files)} evidence files" in made.stdout
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(backup.MANIFEST))  # type: ignore[arg-type]
    assert manifest["format"] == backup.FORMAT
    assert manifest["database"]["counts"] == counts
    assert {f["path"] for f in manifest["files"]} >= {
        "storage/innovation-1/laporan.pdf",
        "storage/innovation-1/foto.png",
    }

    _wipe(database_url, storage)
    restored = kipp(loaded, "restore", str(archive), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "Audit chain intact" in restored.stdout
    assert backup.database_summary(database_url) == (revision, counts)
    assert _file_hashes(storage) == files
    # The restored deployment still works: the audit command agrees, a new event chains on.
    assert kipp(loaded, "audit", "verify").returncode == 0
    assert kipp(loaded, "seed-demo").returncode == 0


def _rewrite(archive: Path, target: Path, change: str) -> None:
    """Copy ``archive`` to ``target`` with one member altered, removed or added."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for info in source:
            data = source.extractfile(info).read()  # type: ignore[union-attr]
            if change == "drop" and info.name.endswith("foto.png"):
                continue
            if change == "flip" and info.name.endswith("laporan.pdf"):
                data = data[:100] + bytes([data[100] ^ 1]) + data[101:]
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
        if change == "extra":
            info = tarfile.TarInfo("storage/innovation-1/extra.pdf")
            info.size = 3
            out.addfile(info, io.BytesIO(b"abc"))


@pytest.mark.parametrize("change", ["flip", "drop", "extra", "truncate"])
def test_a_damaged_archive_is_refused_and_nothing_changes(
    loaded: dict[str, str], tmp_path: Path, database_url: str, change: str
) -> None:
    archive = tmp_path / "kipp.tar.gz"
    assert kipp(loaded, "backup", str(archive)).returncode == 0
    damaged = tmp_path / "damaged.tar.gz"
    if change == "truncate":
        damaged.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    else:
        _rewrite(archive, damaged, change)
    # Change the live data after the backup: a refused restore must leave it as it is now.
    storage = tmp_path / "storage"
    (storage / "innovation-1" / "new.pdf").write_bytes(b"%PDF-1.4 newer")
    before = (backup.database_summary(database_url), _file_hashes(storage))

    refused = kipp(loaded, "restore", str(damaged), "--yes")
    assert refused.returncode == 1
    assert "nothing changed" in refused.stderr
    assert (backup.database_summary(database_url), _file_hashes(storage)) == before
    assert not list(tmp_path.glob(".kipp-restore-*"))


def test_not_a_backup_is_refused(loaded: dict[str, str], tmp_path: Path) -> None:
    other = tmp_path / "other.tar.gz"
    other.write_bytes(gzip.compress(b"not a tar archive"))
    refused = kipp(loaded, "restore", str(other), "--yes")
    assert refused.returncode == 1 and "not a KIPP backup" in refused.stderr
    missing = kipp(loaded, "restore", str(tmp_path / "nope.tar.gz"), "--yes")
    assert missing.returncode == 1 and "No such backup file" in missing.stderr


def test_with_evidence_in_s3_the_archive_holds_the_database_and_names_the_bucket(
    loaded: dict[str, str], tmp_path: Path, database_url: str, s3_server: S3Server
) -> None:
    on_disk = tmp_path / "on-disk.tar.gz"
    assert kipp(loaded, "backup", str(on_disk)).returncode == 0
    bucket_url = s3_server.new_bucket(prefix="kipp")
    env = {**loaded, **{k: v for k, v in os.environ.items() if k.startswith("AWS_")}}
    env["KIPP_STORAGE_URL"] = bucket_url
    bucket = open_url(bucket_url, default_dir=tmp_path)
    engine = create_engine(database_url)
    with engine.begin() as connection:
        innovation_id = connection.scalar(text("SELECT min(id) FROM innovations"))
        for name in ("satu.pdf", "dua.pdf"):
            content = b"%PDF-1.7 " + name.encode()
            bucket.write(f"attachments/{name}", io.BytesIO(content))
            connection.execute(
                text(
                    "INSERT INTO attachments (innovation_id, filename, content_type, size, "
                    "sha256, storage_name, created_at) VALUES (:i, :n, 'application/pdf', :s, "
                    ":h, :n, CURRENT_TIMESTAMP)"
                ),
                {
                    "i": innovation_id,
                    "n": name,
                    "s": len(content),
                    "h": hashlib.sha256(content).hexdigest(),
                },
            )
    engine.dispose()
    revision, counts = backup.database_summary(database_url)

    archive = tmp_path / "s3.tar.gz"
    made = kipp(env, "backup", str(archive))
    assert made.returncode == 0, made.stderr
    assert f"no evidence files: they stay in {bucket_url.split('?')[0]}" in made.stdout
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile(backup.MANIFEST))  # type: ignore[arg-type]
    assert manifest["storage"]["kind"] == "s3"
    assert manifest["storage"]["url"].startswith(bucket_url.split("?")[0])
    assert [f["path"] for f in manifest["files"]] in (
        [backup.SQLITE_MEMBER],
        [backup.PG_MEMBER],
    )

    # A file deleted after the backup: the restore names it (recover it from the versions).
    bucket.delete("attachments/dua.pdf")
    _wipe(database_url, tmp_path / "storage")
    local = tmp_path / "storage" / "kept.pdf"
    local.parent.mkdir(parents=True)
    local.write_bytes(b"%PDF- a local file the restore leaves alone")
    restored = kipp(env, "restore", str(archive), "--yes")
    assert restored.returncode == 1
    assert "no evidence files (they are kept in s3://" in restored.stdout
    assert "Audit chain intact" in restored.stdout
    assert "attachments/dua.pdf: named by the database, missing" in restored.stderr
    assert "satu.pdf" not in restored.stderr
    assert backup.database_summary(database_url) == (revision, counts)
    assert local.exists()

    # An archive with files on disk is not restored into a bucket deployment.
    refused = kipp(env, "restore", str(on_disk), "--yes")
    assert refused.returncode == 1
    assert "nothing changed" in refused.stderr and "kipp storage migrate" in refused.stderr
    assert backup.database_summary(database_url) == (revision, counts)
