"""Backups that restore: one archive with the database, the evidence files and a manifest of
checksums.

``create_backup`` writes a gzip'd tar archive:

- ``manifest.json`` — the format, when and by which KIPP version it was made, the database's
  dialect, migration revision and row counts per table, and the SHA-256 and size of every other
  member;
- ``database/kipp.sqlite3`` (SQLite's online backup API: a consistent copy while the server
  runs) or ``database/kipp.pgdump`` (``pg_dump --format=custom``);
- ``storage/…`` — the evidence files as they are on disk, when they are on this host's disk.

When the evidence lives in an S3-compatible bucket (``KIPP_STORAGE_URL=s3://…``) the archive
holds the database only, and its manifest says which bucket holds the files: the bucket is
backed up by the storage service (versioning, replication), not copied into every archive.

``restore_backup`` checks the whole archive against its manifest *before* it touches anything
(a damaged, truncated or tampered archive is refused and nothing changes), then replaces the
database and — for an archive with files — the storage folder, and ends with the audit chain's
verification and, for files kept in a bucket, a check that every file the database names is
there.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sqlalchemy import Engine, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

import kipp
from kipp import clock
from kipp import storage as file_storage
from kipp.audit import service as audit_service
from kipp.config import Settings
from kipp.innovations import attachments as attachments_service

FORMAT = "kipp.backup/1"
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/kipp.sqlite3"
PG_MEMBER = "database/kipp.pgdump"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why, for a person."""


@dataclass
class BackupReport:
    path: Path
    dialect: str
    revision: str | None
    counts: dict[str, int]
    files: int
    bytes: int
    # Where the evidence files are when they are not in the archive (an S3 bucket), else None.
    files_elsewhere: str | None = None


@dataclass
class RestoreReport:
    dialect: str
    revision: str | None
    counts: dict[str, int]
    files: int
    audit_ok: bool
    audit_checked: int
    problems: list[str] = field(default_factory=list)
    # Files kept in a bucket (not in the archive): where, and the keys the database names
    # that are not there (deleted since the backup: recover them from the bucket's versions).
    files_elsewhere: str | None = None
    missing_files: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- helpers


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _dialect(database_url: str) -> str:
    return make_url(database_url).get_backend_name()


def _sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def _libpq_url(database_url: str) -> str:
    """The SQLAlchemy URL without its driver, as pg_dump/pg_restore take it."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: a PostgreSQL backup needs the PostgreSQL client tools "
            f"(Debian: apt-get install postgresql-client)."
        )
    return found


@contextmanager
def _engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def database_summary(database_url: str) -> tuple[str | None, dict[str, int]]:
    """The migration revision and the row count of every table (the restore drill compares
    them)."""
    with _engine(database_url) as engine, engine.connect() as connection:
        tables = sorted(inspect(connection).get_table_names())
        revision = None
        if "alembic_version" in tables:
            revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
        counts = {
            table: int(connection.scalar(text(f'SELECT count(*) FROM "{table}"')) or 0)
            for table in tables
            if table != "alembic_version"
        }
    return revision, counts


def _add_file(archive: tarfile.TarFile, source: Path, name: str) -> dict[str, Any]:
    info = archive.gettarinfo(str(source), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with source.open("rb") as handle:
        archive.addfile(info, handle)
    return {"path": name, "sha256": _sha256(source), "size": info.size}


# --------------------------------------------------------------------------- backup


def create_backup(*, settings: Settings, path: Path) -> BackupReport:
    """Write one archive with the database, the evidence files and their checksums."""
    dialect = _dialect(settings.database_url)
    if dialect not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {dialect}.")
    revision, counts = database_summary(settings.database_url)
    path = path.resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    members: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="kipp-backup-") as tmp:
        if dialect == "sqlite":
            dump = Path(tmp) / "kipp.sqlite3"
            source = sqlite3.connect(_sqlite_path(settings.database_url))
            target = sqlite3.connect(dump)
            try:
                source.backup(target)  # the online backup API: consistent while serving
            finally:
                target.close()
                source.close()
            member = SQLITE_MEMBER
        else:
            dump = Path(tmp) / "kipp.pgdump"
            result = subprocess.run(
                [
                    _tool("pg_dump"),
                    "--format=custom",
                    "--no-owner",
                    "--file",
                    str(dump),
                    _libpq_url(settings.database_url),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
            member = PG_MEMBER
        location = settings.storage_location
        with tarfile.open(partial, "w:gz") as archive:
            members.append(_add_file(archive, dump, member))
            storage = settings.storage_path
            if location.kind == "file" and storage.exists():
                for file in sorted(p for p in storage.rglob("*") if p.is_file()):
                    name = str(PurePosixPath("storage", *file.relative_to(storage).parts))
                    members.append(_add_file(archive, file, name))
            manifest = {
                "format": FORMAT,
                "created_at": clock.now().isoformat(),
                "kipp_version": kipp.__version__,
                "database": {"dialect": dialect, "revision": revision, "counts": counts},
                "storage": {"kind": location.kind, "url": location.url},
                "files": members,
            }
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(clock.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
    os.replace(partial, path)
    return BackupReport(
        path=path,
        dialect=dialect,
        revision=revision,
        counts=counts,
        files=len(members) - 1,
        bytes=path.stat().st_size,
        files_elsewhere=location.url if location.kind != "file" else None,
    )


# --------------------------------------------------------------------------- restore


def _safe_name(name: str) -> PurePosixPath:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupError(f"The archive holds an unsafe path: {name!r}.")
    return pure


def _copy_checked(source: IO[bytes], target: Path) -> str:
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in iter(lambda: source.read(_CHUNK), b""):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def _unpack_verified(path: Path, staging: Path) -> dict[str, Any]:
    """Unpack the archive into ``staging``, checking every member against the manifest.
    Raises :class:`BackupError` on anything missing, extra, unsafe or altered."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest: dict[str, Any] | None = None
            seen: dict[str, str] = {}
            for info in archive:
                name = str(_safe_name(info.name))
                if not info.isfile():
                    raise BackupError(f"The archive holds something other than a file: {name}.")
                handle = archive.extractfile(info)
                assert handle is not None
                if name == MANIFEST:
                    manifest = json.loads(handle.read().decode())
                    continue
                seen[name] = _copy_checked(handle, staging / name)
    except (tarfile.TarError, EOFError, OSError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupError(f"The archive is damaged or not a KIPP backup ({exc}).") from exc
    if manifest is None or manifest.get("format") != FORMAT:
        raise BackupError("The archive has no KIPP backup manifest (manifest.json).")
    expected = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    missing = sorted(set(expected) - set(seen))
    extra = sorted(set(seen) - set(expected))
    altered = sorted(n for n in expected.keys() & seen.keys() if expected[n] != seen[n])
    if missing or extra or altered:
        parts = []
        if missing:
            parts.append(f"missing: {', '.join(missing[:5])}")
        if extra:
            parts.append(f"not in the manifest: {', '.join(extra[:5])}")
        if altered:
            parts.append(f"checksum differs: {', '.join(altered[:5])}")
        raise BackupError("The archive does not match its manifest (" + "; ".join(parts) + ").")
    return manifest


def restore_backup(*, settings: Settings, path: Path) -> RestoreReport:
    """Replace the database and the evidence files with the archive's, after checking the whole
    archive; then verify the audit chain. Nothing is changed when the archive is refused."""
    if not path.is_file():
        raise BackupError(f"No such backup file: {path}.")
    dialect = _dialect(settings.database_url)
    location = settings.storage_location
    storage = settings.storage_path
    storage.parent.mkdir(parents=True, exist_ok=True)
    # Staging beside the storage folder, so the final swap is a rename on one file system.
    with tempfile.TemporaryDirectory(prefix=".kipp-restore-", dir=storage.parent) as tmp:
        staging = Path(tmp)
        manifest = _unpack_verified(path, staging)
        archived = manifest["database"]["dialect"]
        if archived != dialect:
            raise BackupError(
                f"The archive holds a {archived} database; this deployment uses {dialect}."
            )
        files = sum(1 for entry in manifest["files"] if entry["path"].startswith("storage/"))
        # Archives made before the storage choice existed hold their files: kind "file".
        archived_storage = manifest.get("storage", {}).get("kind", "file")
        if files and location.kind != "file":
            raise BackupError(
                f"The archive holds {files} evidence files, but this deployment keeps them in "
                f"{location.url}. Restore with KIPP_STORAGE_URL empty (the local folder), then "
                f"copy them with `kipp storage migrate --from '' --to {location.url}`."
            )
        if dialect == "sqlite":
            _restore_sqlite(staging / SQLITE_MEMBER, _sqlite_path(settings.database_url))
        else:
            _restore_postgres(staging / PG_MEMBER, settings.database_url)
        if archived_storage == "file":
            _swap_storage(staging / "storage", storage)
        # else: the files were never in the archive; the folder (if any) is left as it is.
    revision, counts = database_summary(settings.database_url)
    with _engine(settings.database_url) as engine, Session(engine) as session:
        session.execute(select(1))
        report = audit_service.verify_chain(session=session, anchor=None)
        missing = [] if archived_storage == "file" else _missing_files(settings, session)
    problems = [f"event {b.event_id}: {b.problem}" for b in report.breaks]
    return RestoreReport(
        dialect=dialect,
        revision=revision,
        counts=counts,
        files=files,
        audit_ok=report.ok,
        audit_checked=report.checked,
        problems=problems,
        files_elsewhere=None if archived_storage == "file" else location.url,
        missing_files=missing,
    )


def _missing_files(settings: Settings, session: Session) -> list[str]:
    """The evidence files the restored database names that its storage does not hold."""
    store = file_storage.for_settings(settings)
    try:
        present = set(store.keys("attachments/"))
    except file_storage.StorageError as exc:
        raise BackupError(f"The database is restored, but {exc}.") from exc
    return [
        key for key, _ in attachments_service.stored_files(session=session) if key not in present
    ]


def _restore_sqlite(dump: Path, target: Path) -> None:
    check = sqlite3.connect(dump)
    try:
        verdict = check.execute("PRAGMA integrity_check").fetchone()
    finally:
        check.close()
    if verdict is None or verdict[0] != "ok":
        raise BackupError("The archived SQLite database fails its integrity check.")
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm", "-journal"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    # Copy next to the target, then rename: a crash leaves the old or the new file, never half.
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(dump, partial)
    os.replace(partial, target)


def _restore_postgres(dump: Path, database_url: str) -> None:
    with _engine(database_url) as engine, engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    result = subprocess.run(
        [
            _tool("pg_restore"),
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            _libpq_url(database_url),
            str(dump),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _swap_storage(restored: Path, storage: Path) -> None:
    restored.mkdir(parents=True, exist_ok=True)
    old = storage.with_name(storage.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    if storage.exists():
        os.replace(storage, old)
    os.replace(restored, storage)
    if old.exists():
        shutil.rmtree(old)
