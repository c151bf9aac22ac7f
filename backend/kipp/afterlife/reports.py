"""Winners' yearly sustainability reports: file, amend, read, evidence, and the organiser's
overview of a competition's winners year by year.

A report is on one year after the announcement's year (``kipp.afterlife.calendar``), one per
year; only a winner of an announced competition reports. Filing tells the organising team.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.afterlife import calendar, evidence, policy
from kipp.afterlife.schemas import (
    CompetitionSustainabilityOut,
    EvidenceOut,
    ReportFields,
    ReportIn,
    ReportOut,
    ReportsOut,
    WinnerSustainability,
    YearCell,
)
from kipp.audit import service as audit_service
from kipp.competitions import service as competitions_service
from kipp.config import Settings, get_settings
from kipp.errors import Conflict, NotFound, ValidationFailed
from kipp.i18n import Msg
from kipp.innovations import access
from kipp.models import (
    Agency,
    Competition,
    Innovation,
    InnovationStatus,
    SustainabilityEvidence,
    SustainabilityReport,
    User,
)
from kipp.notify import service as notify_service
from kipp.notify import templates
from kipp.storage import Blob

_NOT_A_WINNER = Msg(
    id="Laporan keberlanjutan diisi oleh pemenang lomba yang sudah diumumkan.",
    en="Sustainability reports are filed by the winners of an announced competition.",
)


# --------------------------------------------------------------------------- the calendar


def announced_year(competition: Competition) -> int | None:
    """The year of the announcement, in the competition's time zone."""
    if competition.announced_at is None:
        return None
    return competition.announced_at.astimezone(ZoneInfo(competition.timezone)).year


def local_today(competition: Competition, now: datetime | None = None) -> date:
    """Today where the competition runs."""
    return (now or clock.now()).astimezone(ZoneInfo(competition.timezone)).date()


def reports_on(innovation: Innovation, competition: Competition) -> int | None:
    """The announcement year when the innovation reports (a winner), else None."""
    if innovation.status != InnovationStatus.WINNER:
        return None
    return announced_year(competition)


# --------------------------------------------------------------------------- lookups


def get_reporting(
    *, session: Session, innovation_id: int, user: User
) -> tuple[Innovation, Competition]:
    """The innovation and its competition when ``user`` may read and file its reports; 404
    otherwise."""
    innovation = access.load(session=session, innovation_id=innovation_id)
    competition = (
        competitions_service.get(session=session, competition_id=innovation.competition_id)
        if innovation is not None
        else None
    )
    policy.enforce_reporting(innovation, competition, user, innovation_id)
    assert innovation is not None and competition is not None
    return innovation, competition


def _reports(session: Session, innovation_ids: Sequence[int]) -> list[SustainabilityReport]:
    if not innovation_ids:
        return []
    return list(
        session.scalars(
            select(SustainabilityReport)
            .where(SustainabilityReport.innovation_id.in_(list(innovation_ids)))
            .order_by(SustainabilityReport.year.desc())
        )
    )


def get_report(*, session: Session, innovation: Innovation, year: int) -> SustainabilityReport:
    """The report on ``year``, or 404."""
    report = session.scalar(
        select(SustainabilityReport).where(
            SustainabilityReport.innovation_id == innovation.id,
            SustainabilityReport.year == year,
        )
    )
    if report is None:
        raise NotFound(
            Msg(
                id="Belum ada laporan keberlanjutan tahun {year} untuk inovasi ini.",
                en="No sustainability report on {year} has been filed for this innovation.",
            ).format(year=year)
        )
    return report


# --------------------------------------------------------------------------- reading


def present(*, session: Session, reports: Sequence[SustainabilityReport]) -> list[ReportOut]:
    """Reports with their evidence and who filed them (two queries)."""
    ids = [r.id for r in reports]
    files: dict[int, list[EvidenceOut]] = {i: [] for i in ids}
    if ids:
        for row in session.scalars(
            select(SustainabilityEvidence)
            .where(SustainabilityEvidence.report_id.in_(ids))
            .order_by(SustainabilityEvidence.id)
        ):
            files[row.report_id].append(EvidenceOut.model_validate(row))
    filer_ids = {r.submitted_by_id for r in reports if r.submitted_by_id is not None}
    names = (
        {
            int(i): str(n)
            for i, n in session.execute(
                select(User.id, User.full_name).where(User.id.in_(filer_ids))
            )
        }
        if filer_ids
        else {}
    )
    return [
        ReportOut(
            id=r.id,
            innovation_id=r.innovation_id,
            year=r.year,
            status=r.status,
            budget_source=r.budget_source,
            regulation=r.regulation,
            people_served=r.people_served,
            notes=r.notes,
            submitted_by_id=r.submitted_by_id,
            submitted_by_name=names.get(r.submitted_by_id) if r.submitted_by_id else None,
            created_at=r.created_at,
            updated_at=r.updated_at,
            evidence=files[r.id],
        )
        for r in reports
    ]


def list_reports(
    *, session: Session, innovation: Innovation, competition: Competition, now: datetime
) -> ReportsOut:
    """The innovation's reports, newest first, and the years still open or missing."""
    reports = _reports(session, [innovation.id])
    due_month = get_settings().sustainability_due_month
    since = reports_on(innovation, competition)
    filed = {r.year for r in reports}
    open_years: list[int] = []
    missing: list[int] = []
    if since is not None:
        today = local_today(competition, now)
        years = calendar.reporting_years(since, today)
        open_years = [y for y in reversed(years) if y not in filed]
        missing = [
            y
            for y in open_years
            if calendar.year_state(y, filed=False, today=today, due_month=due_month)
            == calendar.MISSING
        ]
    return ReportsOut(
        items=present(session=session, reports=reports),
        total=len(reports),
        reporting=since is not None,
        first_year=since + 1 if since is not None else None,
        open_years=open_years,
        missing_years=missing,
        due_month=due_month,
    )


# --------------------------------------------------------------------------- filing


def _snapshot(report: SustainabilityReport) -> dict[str, Any]:
    return {
        "innovation_id": report.innovation_id,
        "year": report.year,
        "status": report.status,
        "budget_source": report.budget_source,
        "regulation": report.regulation,
        "people_served": report.people_served,
        "notes": report.notes,
    }


def _require_reporting(innovation: Innovation, competition: Competition) -> int:
    since = reports_on(innovation, competition)
    if since is None:
        raise Conflict(_NOT_A_WINNER)
    return since


def create_report(
    *,
    session: Session,
    actor: User,
    innovation: Innovation,
    competition: Competition,
    report_in: ReportIn,
) -> SustainabilityReport:
    """File the report on one year (409 for a non-winner or a year already filed; 422 for a
    year before the award's next or in the future). Tells the organising team."""
    since = _require_reporting(innovation, competition)
    problem = calendar.year_problem(
        report_in.year, announced_year=since, today=local_today(competition)
    )
    if problem is not None:
        raise ValidationFailed(
            problem, errors=[{"field": "year", "code": "year_out_of_range", "message": problem}]
        )
    existing = session.scalar(
        select(SustainabilityReport.id).where(
            SustainabilityReport.innovation_id == innovation.id,
            SustainabilityReport.year == report_in.year,
        )
    )
    if existing is not None:
        raise Conflict(
            Msg(
                id="Laporan tahun {year} sudah ada; ubahlah laporan itu.",
                en="The report on {year} exists already; amend that one.",
            ).format(year=report_in.year)
        )
    report = SustainabilityReport(
        innovation_id=innovation.id,
        submitted_by_id=actor.id,
        **report_in.model_dump(),
    )
    session.add(report)
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="sustainability_report.create",
        entity_type="sustainability_report",
        entity_id=report.id,
        competition_id=competition.id,
        after=_snapshot(report),
    )
    agency = session.get(Agency, innovation.agency_id)
    notify_service.send(
        session,
        letter=templates.sustainability_report_filed(
            competition_id=competition.id,
            title=innovation.title,
            agency_name=agency.name if agency else "",
            year=report.year,
            running=report.status == "running",
        ),
        recipients=policy.organising_team(session=session, competition=competition),
    )
    return report


def update_report(
    *,
    session: Session,
    actor: User,
    innovation: Innovation,
    competition: Competition,
    report: SustainabilityReport,
    fields: ReportFields,
) -> SustainabilityReport:
    """Amend a filed report (the whole of it)."""
    _require_reporting(innovation, competition)
    before = _snapshot(report)
    for name, value in fields.model_dump().items():
        setattr(report, name, value)
    session.flush()
    after = _snapshot(report)
    if after != before:
        audit_service.record(
            session=session,
            actor=actor,
            action="sustainability_report.update",
            entity_type="sustainability_report",
            entity_id=report.id,
            competition_id=competition.id,
            before=before,
            after=after,
        )
    return report


# --------------------------------------------------------------------------- evidence


def _safe_filename(filename: str | None, extension: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or f"bukti{extension}"


def _evidence_snapshot(
    row: SustainabilityEvidence, innovation_id: int, year: int
) -> dict[str, Any]:
    return {
        "innovation_id": innovation_id,
        "year": year,
        "filename": row.filename,
        "content_type": row.content_type,
        "size": row.size,
        "sha256": row.sha256,
    }


def add_evidence(
    *,
    session: Session,
    settings: Settings,
    actor: User,
    innovation: Innovation,
    competition: Competition,
    report: SustainabilityReport,
    source: BinaryIO,
    filename: str | None,
) -> SustainabilityEvidence:
    """Attach a file (PDF, PNG or JPEG, within the upload limit) to a filed report."""
    _require_reporting(innovation, competition)
    stored = evidence.store(session=session, settings=settings, source=source)
    row = SustainabilityEvidence(
        report_id=report.id,
        filename=_safe_filename(filename, Path(stored.storage_name).suffix),
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_name=stored.storage_name,
        uploaded_by_id=actor.id,
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="sustainability_evidence.create",
        entity_type="sustainability_evidence",
        entity_id=row.id,
        competition_id=competition.id,
        after=_evidence_snapshot(row, innovation.id, report.year),
    )
    return row


def get_evidence(
    *, session: Session, report: SustainabilityReport, evidence_id: int
) -> SustainabilityEvidence:
    """One evidence file of this report (404 when it belongs to another)."""
    row = session.get(SustainabilityEvidence, evidence_id)
    if row is None or row.report_id != report.id:
        raise NotFound(
            Msg(id="Bukti {id} tidak ada.", en="Evidence {id} does not exist.").format(
                id=evidence_id
            )
        )
    return row


def evidence_file(*, settings: Settings, row: SustainabilityEvidence) -> Blob:
    """The evidence's bytes, streamed from the storage."""
    return evidence.open_file(settings=settings, storage_name=row.storage_name, evidence_id=row.id)


def delete_evidence(
    *,
    session: Session,
    settings: Settings,
    actor: User,
    innovation: Innovation,
    competition: Competition,
    report: SustainabilityReport,
    row: SustainabilityEvidence,
) -> None:
    """Remove an evidence file; its bytes go once the deletion is committed."""
    _require_reporting(innovation, competition)
    audit_service.record(
        session=session,
        actor=actor,
        action="sustainability_evidence.delete",
        entity_type="sustainability_evidence",
        entity_id=row.id,
        competition_id=competition.id,
        before=_evidence_snapshot(row, innovation.id, report.year),
    )
    storage_name = row.storage_name
    session.delete(row)
    session.flush()
    evidence.remove_when_committed(session=session, settings=settings, storage_name=storage_name)


# --------------------------------------------------------------------------- the overview


def overview(
    *, session: Session, competition: Competition, now: datetime
) -> CompetitionSustainabilityOut:
    """The competition's winners and, per year since the award, filed / missing / not due."""
    due_month = get_settings().sustainability_due_month
    since = announced_year(competition)
    today = local_today(competition, now)
    years = calendar.reporting_years(since, today) if since is not None else []
    rows = (
        session.execute(
            select(Innovation.id, Innovation.title, Agency.code, Agency.name)
            .join(Agency, Agency.id == Innovation.agency_id)
            .where(
                Innovation.competition_id == competition.id,
                Innovation.status == InnovationStatus.WINNER,
            )
            .order_by(Innovation.title, Innovation.id)
        ).all()
        if since is not None
        else []
    )
    filed = {(r.innovation_id, r.year): r for r in _reports(session, [row[0] for row in rows])}
    winners = []
    for innovation_id, title, code, name in rows:
        cells = []
        for year in years:
            report = filed.get((innovation_id, year))
            cells.append(
                YearCell(
                    year=year,
                    state=calendar.year_state(
                        year, filed=report is not None, today=today, due_month=due_month
                    ),
                    status=report.status if report else None,
                    people_served=report.people_served if report else None,
                )
            )
        winners.append(
            WinnerSustainability(
                innovation_id=innovation_id,
                title=title,
                agency_code=code,
                agency_name=name,
                years=cells,
            )
        )
    return CompetitionSustainabilityOut(
        competition_id=competition.id,
        announced_year=since,
        due_month=due_month,
        years=years,
        winners=winners,
    )


def get_overview_competition(*, session: Session, competition_id: int, user: User) -> Competition:
    """The competition when ``user`` may read its overview: 404 when they may not even see
    it, 403 otherwise."""
    competition = competitions_service.get_visible(
        session=session, competition_id=competition_id, user=user
    )
    policy.enforce_overview(competition, user)
    return competition
