"""`kipp storage migrate`, run as an operator runs it (a subprocess), both ways between the local
folder and an S3 bucket on moto_server: every copy checked against the database's SHA-256,
idempotent, resumable, non-zero on a missing or altered file."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest

from kipp.config import parse_storage_url
from kipp.storage import Storage, open_url
from tests.s3 import S3Server
from tests.test_cli import kipp

FILES = {f"{name}.pdf": b"%PDF-1.7\n" + name.encode() * 1000 for name in ("satu", "dua", "tiga")}


@pytest.fixture
def deployment(tmp_path: Path, s3_server: S3Server) -> tuple[dict[str, str], Path]:
    """A migrated database with three evidence rows, their files in the local folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIPP_")}  # AWS_* kept
    database = tmp_path / "kipp.sqlite3"
    env.update(
        {
            "KIPP_ENVIRONMENT": "development",
            "KIPP_VAR_DIR": str(tmp_path / "var"),
            "KIPP_DATABASE_URL": f"sqlite:///{database}",
        }
    )
    assert kipp(env, "db", "upgrade").returncode == 0
    folder = tmp_path / "var" / "storage" / "attachments"
    folder.mkdir(parents=True)
    with sqlite3.connect(database) as db:
        for number, (name, content) in enumerate(FILES.items(), start=1):
            (folder / name).write_bytes(content)
            db.execute(  # the proposal's row is not needed: foreign keys are off here
                "INSERT INTO attachments (id, innovation_id, filename, content_type, size, "
                "sha256, storage_name, created_at) VALUES (?, 1, ?, 'application/pdf', ?, ?, ?, "
                "'2026-12-01 00:00:00')",
                (number, name, len(content), hashlib.sha256(content).hexdigest(), name),
            )
    return env, tmp_path / "var" / "storage"


def _contents(store: Storage) -> dict[str, bytes]:
    found = {}
    for key in store.keys("attachments/"):
        blob = store.open(key)
        found[key.removeprefix("attachments/")] = b"".join(blob.chunks)
        blob.release()
    return found


def test_to_s3_and_back(
    deployment: tuple[dict[str, str], Path], s3_server: S3Server, tmp_path: Path
) -> None:
    env, folder = deployment
    bucket_url = s3_server.new_bucket(prefix="luwu-utara")
    to_s3 = kipp(env, "storage", "migrate", "--from", f"file://{folder}", "--to", bucket_url)
    assert to_s3.returncode == 0, to_s3.stderr
    assert "3 files: 3 copied, 0 already there" in to_s3.stdout
    assert f"KIPP_STORAGE_URL={bucket_url}" in to_s3.stdout
    bucket = open_url(bucket_url, default_dir=tmp_path)
    assert _contents(bucket) == FILES

    # Again (as after an interruption): nothing to copy; a damaged copy is copied anew.
    bucket.client.put_object(  # type: ignore[attr-defined]
        Bucket=parse_storage_url(bucket_url, default_dir=tmp_path).bucket,
        Key="luwu-utara/attachments/dua.pdf",
        Body=b"%PDF- damaged",
    )
    again = kipp(env, "storage", "migrate", "--from", "", "--to", bucket_url)
    assert again.returncode == 0, again.stderr
    assert "3 files: 1 copied, 2 already there" in again.stdout
    assert _contents(bucket) == FILES

    back = tmp_path / "restored"
    to_file = kipp(env, "storage", "migrate", "--from", bucket_url, "--to", f"file://{back}")
    assert to_file.returncode == 0, to_file.stderr
    assert "3 copied" in to_file.stdout
    assert {p.name: p.read_bytes() for p in (back / "attachments").iterdir()} == FILES


def test_a_missing_or_altered_file_fails_the_run(
    deployment: tuple[dict[str, str], Path], s3_server: S3Server, tmp_path: Path
) -> None:
    env, folder = deployment
    (folder / "attachments" / "satu.pdf").write_bytes(b"%PDF- altered after upload")
    (folder / "attachments" / "tiga.pdf").unlink()
    bucket_url = s3_server.new_bucket()
    result = kipp(env, "storage", "migrate", "--from", "", "--to", bucket_url)
    assert result.returncode == 1
    assert "attachments/satu.pdf: checksum differs" in result.stderr
    assert "attachments/tiga.pdf: missing from the source" in result.stderr
    assert "1 copied, 0 already there, 1 missing from the source, 1 with a different" in (
        result.stdout
    )
    # The target holds only verified files.
    assert _contents(open_url(bucket_url, default_dir=tmp_path)) == {"dua.pdf": FILES["dua.pdf"]}


def test_bad_arguments(deployment: tuple[dict[str, str], Path], s3_server: S3Server) -> None:
    env, folder = deployment
    same = kipp(env, "storage", "migrate", "--from", "", "--to", f"file://{folder}")
    assert same.returncode == 2 and "the same storage" in same.stderr
    bad = kipp(env, "storage", "migrate", "--from", "", "--to", "s3://b?access_key=x")
    assert bad.returncode == 2 and "unknown option access_key" in bad.stderr
    gone = kipp(
        env, "storage", "migrate", "--from", "", "--to", "s3://b?endpoint=http://127.0.0.1:9"
    )
    assert gone.returncode == 1 and "is unreachable" in gone.stderr
