"""The `kipp` command."""

from __future__ import annotations

import json
import logging.config
import re
import signal
from pathlib import Path
from typing import Annotated

import typer

from kipp import backup as backup_service
from kipp import logs, migrate, storage
from kipp import worker as background_worker
from kipp.audit import service as audit_service
from kipp.config import get_settings
from kipp.db import get_sessionmaker
from kipp.demo import seed
from kipp.errors import KippError
from kipp.innovations import attachments as attachments_service
from kipp.models import Level, Role
from kipp.openapi import openapi_json
from kipp.organisations import service as organisations_service
from kipp.organisations.schemas import SLUG_PATTERN
from kipp.storage.copy import copy_files
from kipp.users import service as users_service

app = typer.Typer(help="KIPP — Kompetisi Inovasi Pelayanan Publik.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log.", no_args_is_help=True)
app.add_typer(db_app, name="db")
storage_app = typer.Typer(help="Where the evidence files live.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(storage_app, name="storage")


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Migrate the database to the newest schema (or REVISION)."""
    settings = get_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.database_url, revision)
    typer.echo("Database is up to date.")


@app.command("create-admin")
def create_admin(
    email: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    name: Annotated[str, typer.Option(help="Full name")] = "Administrator",
) -> None:
    """Create a platform admin (acts in every organisation; belongs to the default one): the
    first account of a real deployment."""
    if len(password) < 8:
        typer.echo("The password needs at least 8 characters.", err=True)
        raise typer.Exit(2)
    with get_sessionmaker()() as session:
        try:
            users_service.create(
                session=session,
                actor=None,
                email=email,
                full_name=name,
                role=Role.ADMIN,
                agency_id=None,
                password=password,
            )
        except KippError as exc:
            typer.echo(f"Not created: {exc.detail}", err=True)
            raise typer.Exit(1) from exc
        session.commit()
    typer.echo(f"Admin {email} created.")


@app.command("create-organisation")
def create_organisation(
    slug: Annotated[str, typer.Argument(help="Short name: lowercase letters, digits, dashes")],
    name: Annotated[str, typer.Option(help="e.g. 'Pemerintah Kota Palopo'")],
    level: Annotated[Level, typer.Option(help="The level of government")],
    region: Annotated[str, typer.Option(help="e.g. 'Kota Palopo'")] = "",
) -> None:
    """Add an organisation (a regency/city, a province, a ministry or the national organiser)
    to this deployment; then give it its first organiser with `kipp create-organiser`."""
    if not re.fullmatch(SLUG_PATTERN, slug):
        typer.echo("The slug takes lowercase letters, digits and dashes.", err=True)
        raise typer.Exit(2)
    with get_sessionmaker()() as session:
        try:
            organisation = organisations_service.create(
                session=session, actor=None, slug=slug, name=name, level=level.value, region=region
            )
        except KippError as exc:
            typer.echo(f"Not created: {exc.detail}", err=True)
            raise typer.Exit(1) from exc
        session.commit()
        typer.echo(f"Organisation {organisation.slug} created (id {organisation.id}).")


@app.command("create-organiser")
def create_organiser(
    email: str,
    organisation: Annotated[str, typer.Option(help="The organisation's slug (or id)")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True)],
    name: Annotated[str, typer.Option(help="Full name")] = "Panitia",
) -> None:
    """Create an organiser: the organising team of one organisation (its competitions, agencies
    and accounts; nothing of another organisation)."""
    if len(password) < 8:
        typer.echo("The password needs at least 8 characters.", err=True)
        raise typer.Exit(2)
    with get_sessionmaker()() as session:
        found = organisations_service.by_reference(session=session, reference=organisation)
        if found is None:
            typer.echo(f"No organisation {organisation!r}.", err=True)
            raise typer.Exit(1)
        try:
            users_service.create(
                session=session,
                actor=None,
                email=email,
                full_name=name,
                role=Role.ORGANISER,
                agency_id=None,
                password=password,
                organisation_id=found.id,
            )
        except KippError as exc:
            typer.echo(f"Not created: {exc.detail}", err=True)
            raise typer.Exit(1) from exc
        session.commit()
        typer.echo(f"Organiser {email} of {found.slug} created.")


@app.command("seed-demo")
def seed_demo() -> None:
    """Load the Luwu Utara demo competition (idempotent) and print the demo logins."""
    environment = get_settings().environment
    if environment != "development":
        # The demo accounts' passwords are public: never in a real deployment.
        typer.echo(
            f"Refused: the demo data is for development only (KIPP_ENVIRONMENT={environment}).",
            err=True,
        )
        raise typer.Exit(2)
    with get_sessionmaker()() as session:
        report = seed.seed_demo(session=session)
        session.commit()
    created = ", ".join(f"{n} {kind}" for kind, n in report.created.items()) or "nothing new"
    typer.echo(f"Demo data: {created}.")
    typer.echo("Demo logins (for the demo only):")
    for login in seed.demo_logins():
        typer.echo(f"  {login.role:<13} {login.email:<36} {login.password}")


@app.command("serve")
def serve(
    host: Annotated[str | None, typer.Option(help="Default KIPP_HOST or 127.0.0.1")] = None,
    port: Annotated[int | None, typer.Option(help="Default KIPP_PORT or 8000")] = None,
    workers: Annotated[int | None, typer.Option(help="Default KIPP_WORKERS or 1")] = None,
) -> None:
    """Serve the API and the web app."""
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "kipp.main:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        # The app itself believes X-Forwarded-* only from KIPP_TRUSTED_PROXIES (deps.py);
        # uvicorn's own handling would trust 127.0.0.1 by default.
        proxy_headers=False,
        log_config=logs.logging_config(settings),
    )


@app.command("worker")
def worker() -> None:
    """Deliver e-mail and run the periodic jobs in the foreground, until SIGTERM or Ctrl-C.

    For deployments where the server processes run with KIPP_RUN_WORKER=false."""
    settings = get_settings()
    logging.config.dictConfig(logs.logging_config(settings))
    runner = background_worker.Worker(settings)

    def _stop(signum: int, _frame: object) -> None:
        logging.getLogger("kipp.worker").info("stopping (%s)", signal.Signals(signum).name)
        runner.stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    runner.run()


@app.command("openapi")
def openapi(
    output: Annotated[Path | None, typer.Option(help="Write to this file")] = None,
) -> None:
    """Print the OpenAPI document (or write it with --output)."""
    text = openapi_json()
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text)


@audit_app.command("verify")
def audit_verify(
    anchor: Annotated[
        str | None,
        typer.Option(help="A head hash written down earlier: fail unless it is still in the chain"),
    ] = None,
) -> None:
    """Check the audit log's hash chain; exit 1 when any event was altered or removed.

    Prints the chain head: write it down outside KIPP (e.g. in the minutes of the panel
    session) and pass its hash as --anchor later, so removing the newest events shows too.
    """
    if anchor is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", anchor.strip()):
        typer.echo("--anchor must be a 64-character hex hash (a head hash).", err=True)
        raise typer.Exit(2)
    with get_sessionmaker()() as session:
        report = audit_service.verify_chain(session=session, anchor=anchor)
    head = report.head
    where = "the log is empty" if head.id is None else f"event {head.id}"
    typer.echo(f"Head: {head.hash} ({where}, {head.count} events).")
    if report.anchor is not None and report.anchor.found:
        typer.echo(
            f"Anchor {report.anchor.hash} found: event {report.anchor.event_id}, "
            f"position {report.anchor.position}."
        )
    if report.ok:
        typer.echo(f"Audit chain intact: {report.checked} events checked.")
        return
    for chain_break in report.breaks:
        typer.echo(f"event {chain_break.event_id}: {chain_break.problem}", err=True)
    if report.anchor is not None and not report.anchor.found:
        typer.echo(
            f"anchor {report.anchor.hash}: no longer in the chain (events removed or rewritten)",
            err=True,
        )
    summary = {
        "ok": False,
        "breaks": len(report.breaks),
        "anchor_found": report.anchor.found if report.anchor is not None else None,
    }
    typer.echo(json.dumps(summary), err=True)
    raise typer.Exit(1)


@app.command("backup")
def backup(
    file: Annotated[Path, typer.Argument(help="The archive to write, e.g. kipp-2026-12-06.tar.gz")],
) -> None:
    """Write one archive: the database, the evidence files and a manifest of checksums.

    With the evidence in an S3 bucket (KIPP_STORAGE_URL=s3://…) the archive holds the database
    only: back the bucket up with the storage service (versioning, replication)."""
    settings = get_settings()
    try:
        report = backup_service.create_backup(settings=settings, path=file)
    except backup_service.BackupError as exc:
        typer.echo(f"Backup failed: {exc}", err=True)
        raise typer.Exit(1) from exc
    rows = sum(report.counts.values())
    files = (
        f"{report.files} evidence files"
        if report.files_elsewhere is None
        else f"no evidence files: they stay in {report.files_elsewhere}, backed up by the "
        "storage service (turn on the bucket's versioning)"
    )
    typer.echo(
        f"Backup written: {report.path} ({report.bytes} bytes; {report.dialect} database at "
        f"revision {report.revision}, {rows} rows; {files})."
    )


@app.command("restore")
def restore(
    file: Annotated[Path, typer.Argument(help="An archive written by `kipp backup`")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
) -> None:
    """Replace the database and the evidence files with an archive's, then verify the audit log.

    The whole archive is checked against its manifest first: a damaged one is refused and
    nothing changes. Stop the server (and `kipp worker`) before restoring.
    """
    settings = get_settings()
    if not yes:
        typer.confirm("This replaces the database and every evidence file. Go on?", abort=True)
    try:
        report = backup_service.restore_backup(settings=settings, path=file)
    except backup_service.BackupError as exc:
        typer.echo(f"Restore refused, nothing changed: {exc}", err=True)
        raise typer.Exit(1) from exc
    rows = sum(report.counts.values())
    files = (
        f"{report.files} evidence files"
        if report.files_elsewhere is None
        else f"no evidence files (they are kept in {report.files_elsewhere})"
    )
    typer.echo(
        f"Restored {report.dialect} database at revision {report.revision} ({rows} rows) and "
        f"{files}."
    )
    for key in report.missing_files[:20]:
        typer.echo(f"{key}: named by the database, missing from the storage", err=True)
    if report.missing_files:
        typer.echo(
            f"{len(report.missing_files)} evidence files are missing from "
            f"{report.files_elsewhere}: recover them from the bucket's earlier versions.",
            err=True,
        )
    if not report.audit_ok:
        for problem in report.problems:
            typer.echo(problem, err=True)
        typer.echo("Audit chain BROKEN after restore.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Audit chain intact: {report.audit_checked} events checked.")
    if report.missing_files:
        raise typer.Exit(1)


@storage_app.command("migrate")
def storage_migrate(
    from_url: Annotated[
        str,
        typer.Option(
            "--from",
            help="Where the files are now: file:///folder, s3://bucket[/prefix]?endpoint=…, "
            "or '' for KIPP_STORAGE_DIR",
        ),
    ],
    to_url: Annotated[str, typer.Option("--to", help="Where they go (same forms)")],
    verbose: Annotated[bool, typer.Option("--verbose", help="Name every file")] = False,
) -> None:
    """Copy every evidence file the database knows from one storage to another, reading each
    copy back to check its SHA-256. Run it again after an interruption: files already there
    with the right checksum are skipped. Exits 1 when a file is missing or differs.

    The files stay in the old place too; set KIPP_STORAGE_URL to the new one and restart."""
    settings = get_settings()
    try:
        source = storage.open_url(from_url, default_dir=settings.storage_path)
        target = storage.open_url(to_url, default_dir=settings.storage_path)
    except ValueError as exc:
        typer.echo(str(exc).replace("KIPP_STORAGE_URL", "--from/--to"), err=True)
        raise typer.Exit(2) from exc
    if source.url == target.url:
        typer.echo(f"--from and --to are the same storage ({source.url}).", err=True)
        raise typer.Exit(2)
    for name, where in (("source", source), ("target", target)):
        verdict = where.check()
        if verdict != "ok":
            typer.echo(f"The {name} {where.url} is {verdict}.", err=True)
            raise typer.Exit(1)
    with get_sessionmaker()() as session:
        files = attachments_service.stored_files(session=session)

    def progress(key: str, outcome: str) -> None:
        if outcome in {"missing", "mismatch"}:
            what = "missing from the source" if outcome == "missing" else "checksum differs"
            typer.echo(f"{key}: {what}", err=True)
        elif verbose:
            typer.echo(f"{key}: {outcome}")

    typer.echo(f"Copying {len(files)} evidence files from {source.url} to {target.url} …")
    try:
        report = copy_files(source=source, target=target, files=files, progress=progress)
    except storage.StorageError as exc:
        typer.echo(f"Stopped: {exc}. Run the command again to go on.", err=True)
        raise typer.Exit(1) from exc
    typer.echo(
        f"{report.total} files: {report.copied} copied, {report.present} already there, "
        f"{len(report.missing)} missing from the source, "
        f"{len(report.mismatched)} with a different checksum."
    )
    if not report.ok:
        raise typer.Exit(1)
    typer.echo(f"All verified. Now set KIPP_STORAGE_URL={to_url} on every host and restart.")


if __name__ == "__main__":
    app()
