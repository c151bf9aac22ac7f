"""Load the demo competition. Idempotent: a second run changes nothing."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp import clock
from kipp.agencies import service as agencies_service
from kipp.audit import service as audit_service
from kipp.competitions.defaults import (
    STAGE_NAMES,
    default_admin_checklist,
    default_criteria,
    default_proposal_template,
)
from kipp.demo import data, province
from kipp.innovations import lifecycle
from kipp.models import (
    AdministrativeReview,
    Agency,
    Competition,
    Criterion,
    Innovation,
    PanelMember,
    Role,
    Schedule,
    ScheduleSlot,
    Score,
    Scoresheet,
    ScoresheetStatus,
    Stage,
    User,
)
from kipp.organisations import service as organisations
from kipp.panel import assignments as assignments_service
from kipp.schedule import announce, layout
from kipp.security import hash_password
from kipp.users import service as users_service


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str) -> None:
        self.created[kind] = self.created.get(kind, 0) + 1


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    role: str
    full_name: str
    agency_code: str | None = None


def demo_logins() -> list[DemoLogin]:
    """Every demo account, for the README and the login page."""
    password = data.DEMO_PASSWORD
    logins = [
        DemoLogin(data.DEMO_ADMIN_EMAIL, password, Role.ADMIN, "Tim Pelaksana"),
        DemoLogin(data.DEMO_ORGANISER_EMAIL, password, Role.ORGANISER, "Panitia Luwu Utara"),
    ]
    logins += [
        DemoLogin(data.email_for(local), password, Role.JUDGE, name, code)
        for local, name, code in data.JUDGES
    ]
    logins.append(
        DemoLogin(
            data.agency_admin_email("DLH"), password, Role.AGENCY_ADMIN, "Admin OPD DLH", "DLH"
        )
    )
    logins += [
        DemoLogin(data.innovator_email(code), password, Role.INNOVATOR, f"Inovator {code}", code)
        for code, _name in data.AGENCIES
    ]
    # The province Luwu Utara 2021 feeds: its organiser (role ``organiser``) and judges.
    local, name = data.SULSEL_ORGANISER
    logins.append(DemoLogin(data.email_for(local), password, Role.ORGANISER, name))
    logins += [
        DemoLogin(data.email_for(local), password, Role.JUDGE, name)
        for local, name in data.SULSEL_JUDGES
    ]
    return logins


def _local(day: str, zone: ZoneInfo) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(0, 0), tzinfo=zone)


def _ensure_home_organisation(session: Session, report: SeedReport) -> None:
    """The default organisation is Luwu Utara's (renamed once: a second run changes nothing;
    the CLI's ``seed-demo`` is for development databases only)."""
    home = organisations.get(session=session, organisation_id=organisations.default_id(session))
    if organisations.snapshot(home) != data.HOME_ORGANISATION:
        organisations.update(
            session=session, actor=None, organisation=home, changes=dict(data.HOME_ORGANISATION)
        )
        report.count("organisations")


def _ensure_agencies(session: Session, report: SeedReport) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for code, name in data.AGENCIES:
        agency = agencies_service.get_by_code(
            session=session, code=code, organisation_id=organisations.default_id(session)
        )
        if agency is None:
            agency = agencies_service.create(session=session, actor=None, code=code, name=name)
            report.count("agencies")
        agencies[code] = agency
    return agencies


def _ensure_users(
    session: Session, report: SeedReport, agencies: dict[str, Agency]
) -> dict[str, User]:
    users: dict[str, User] = {}
    password_hash: str | None = None
    provincial = {
        data.email_for(local) for local, _ in [data.SULSEL_ORGANISER, *data.SULSEL_JUDGES]
    }
    for login in demo_logins():
        if login.email in provincial:
            continue  # made with their organisation (kipp.demo.province)
        user = users_service.get_by_email(session=session, email=login.email)
        if user is None:
            password_hash = password_hash or hash_password(data.DEMO_PASSWORD)
            agency = agencies[login.agency_code] if login.agency_code else None
            user = users_service.create(
                session=session,
                actor=None,
                email=login.email,
                full_name=login.full_name,
                role=login.role,
                agency_id=agency.id if agency else None,
                password=data.DEMO_PASSWORD,
                password_hash=password_hash,
            )
            report.count("users")
        users[login.email] = user
    return users


def _ensure_competition_2021(session: Session, report: SeedReport) -> Competition:
    spec = data.COMPETITION_2021
    competition = session.scalar(
        select(Competition).where(
            Competition.name == spec["name"], Competition.year == spec["year"]
        )
    )
    if competition is not None:
        return competition
    zone = ZoneInfo(str(spec["timezone"]))
    competition = Competition(
        organisation_id=organisations.default_id(session),
        name=spec["name"],
        year=spec["year"],
        level=spec["level"],
        region=spec["region"],
        timezone=spec["timezone"],
        top_n=spec["top_n"],
        description=spec["description"],
        published=True,
        proposal_template=default_proposal_template(),
        admin_checklist=default_admin_checklist(),
        current_stage="submission",
    )
    competition.stages = [
        Stage(
            key=key,
            name=STAGE_NAMES[key],
            position=position,
            starts_at=_local(start, zone),
            ends_at=_local(end, zone),
        )
        for position, (key, start, end) in enumerate(data.STAGES_2021, start=1)
    ]
    session.add(competition)
    session.flush()
    report.count("competitions")
    return competition


def _ensure_innovations(
    session: Session,
    report: SeedReport,
    competition: Competition,
    agencies: dict[str, Agency],
    users: dict[str, User],
) -> None:
    existing = set(
        session.scalars(
            select(Innovation.external_ref).where(Innovation.competition_id == competition.id)
        )
    )
    for number, (title, code) in enumerate(data.INNOVATIONS, start=1):
        ref = f"LU2021-{number:02d}"
        if ref in existing:
            continue
        innovator = users[data.innovator_email(code)]
        innovation = Innovation(
            competition_id=competition.id,
            agency_id=agencies[code].id,
            title=title,
            group="umum",
            category="",
            origin="other",
            external_ref=ref,
            status="submitted",
            sections={},
            links=[],
            created_by_id=innovator.id,
        )
        innovation.team = [innovator]
        session.add(innovation)
        report.count("innovations")
    session.flush()


def _ensure_rubric_and_panel(
    session: Session, report: SeedReport, competition: Competition, judges: list[User]
) -> None:
    has_rubric = session.scalar(
        select(Criterion.id).where(Criterion.competition_id == competition.id).limit(1)
    )
    if has_rubric is None:
        for position, row in enumerate(default_criteria()):
            session.add(Criterion(competition_id=competition.id, position=position, **row))
            report.count("criteria")
    on_panel = set(
        session.scalars(
            select(PanelMember.user_id).where(PanelMember.competition_id == competition.id)
        )
    )
    for judge in judges:
        if judge.id not in on_panel:
            session.add(PanelMember(competition_id=competition.id, user_id=judge.id))
            report.count("panel_members")
    session.flush()


def _simulated_score(reference: str, judge_email: str, criterion_key: str) -> int:
    """A reproducible pseudo-random score: the innovation's simulated quality, the judge's
    leniency and noise, on the 1..10 scale. Simulated — not the real panel's scores."""
    quality = random.Random(f"{data.SIMULATION_SEED}:quality:{reference}").uniform(3.5, 8.5)
    flair = random.Random(f"{data.SIMULATION_SEED}:{reference}:{criterion_key}").gauss(0, 0.7)
    leniency = random.Random(f"{data.SIMULATION_SEED}:leniency:{judge_email}").gauss(0, 0.9)
    noise = random.Random(
        f"{data.SIMULATION_SEED}:{reference}:{judge_email}:{criterion_key}"
    ).gauss(0, 0.8)
    return max(1, min(10, round(quality + flair + leniency + noise)))


def _ensure_judging_2021(
    session: Session,
    report: SeedReport,
    competition: Competition,
    judges: list[User],
    admin: User,
) -> None:
    """Bring the 2021 competition to the nomination stage with simulated final scores.

    Only from the state the seed itself leaves (submission stage, every proposal submitted),
    so a second run, or a demo someone has already moved on, is left as it is.
    """
    innovations = session.scalars(
        select(Innovation)
        .where(Innovation.competition_id == competition.id)
        .order_by(Innovation.external_ref)
    ).all()
    if competition.current_stage != "submission" or any(
        i.status != "submitted" for i in innovations
    ):
        return
    if data.SIMULATED_SCORES_NOTE not in competition.description:
        competition.description += data.SIMULATED_SCORES_NOTE
    _ensure_rubric_and_panel(session, report, competition, judges)
    checks = {item["key"]: True for item in competition.admin_checklist}
    for innovation in innovations:
        session.add(
            AdministrativeReview(
                innovation_id=innovation.id,
                passed=True,
                checks=checks,
                notes="Lulus seleksi administrasi (demo).",
                reviewer_id=admin.id,
            )
        )
        report.count("administrative_reviews")
    session.flush()
    lifecycle.move_many(
        session=session,
        actor=admin,
        competition_id=competition.id,
        targets={i.id: "eligible" for i in innovations},
        action="innovation.administrative_review",
        reason="Demo data: every proposal passes the administrative review.",
    )
    for innovation in innovations:
        session.expire(innovation)  # the bulk move went around the identity map

    zone = ZoneInfo(competition.timezone)
    submitted_at = _local("2021-11-26", zone)
    reference = {i.id: i.external_ref or str(i.id) for i in innovations}
    email = {j.id: j.email for j in judges}
    keys = [c["key"] for c in default_criteria()]
    for pair in assignments_service.assignments(session=session, competition_id=competition.id):
        sheet = Scoresheet(
            competition_id=competition.id,
            innovation_id=pair.innovation_id,
            judge_id=pair.judge_id,
            status=ScoresheetStatus.FINAL,
            comment=data.SIMULATED_SCORE_COMMENT,
            submitted_at=submitted_at,
        )
        sheet.scores = [
            Score(
                criterion_key=key,
                value=_simulated_score(reference[pair.innovation_id], email[pair.judge_id], key),
            )
            for key in keys
        ]
        session.add(sheet)
        report.count("scoresheets")
    competition.current_stage = "nomination"
    session.flush()
    audit_service.record(
        session=session,
        actor=None,
        action="demo.simulate_judging",
        entity_type="competition",
        entity_id=competition.id,
        competition_id=competition.id,
        after={"current_stage": "nomination", "scoresheets": report.created.get("scoresheets")},
        reason="Demo data: simulated scores, not the real panel's.",
    )


def _ensure_schedule_2021(session: Session, report: SeedReport, competition: Competition) -> None:
    """The 2021 presentations (pemaparan), published: weeks III–IV of November, mornings at
    the regent's office, a break after every three. Written as already announced, so the seed
    queues no e-mails; left alone once the competition has a schedule."""
    if session.get(Schedule, competition.id) is not None:
        return
    eligible = list(
        session.scalars(
            select(Innovation.id)
            .where(
                Innovation.competition_id == competition.id,
                Innovation.status.in_(assignments_service.JUDGED_STATUSES),
            )
            .order_by(Innovation.external_ref)
        )
    )
    if not eligible:
        return
    plan = layout.FillPlan(
        days=[date(2021, 11, d) for d in data.SCHEDULE_DAYS_2021],
        day_start=time(8, 30),
        day_end=time(11, 30),
        duration_minutes=30,
        break_after_n=3,
        break_minutes=15,
        timezone=competition.timezone,
    )
    zone = ZoneInfo(competition.timezone)
    session.add(
        Schedule(
            competition_id=competition.id,
            version=1,
            published_at=_local("2021-11-12", zone),
            updated_at=_local("2021-11-12", zone),
        )
    )
    for planned in layout.fill(eligible, plan):
        slot = ScheduleSlot(
            competition_id=competition.id,
            innovation_id=planned.innovation_id,
            starts_at=planned.starts_at,
            duration_minutes=planned.duration_minutes,
            place=data.SCHEDULE_PLACE_2021,
            online_url=None,
            note="" if planned.innovation_id else "Istirahat",
            sequence=0,
        )
        if planned.innovation_id is not None:
            slot.announced = announce.announced_key(slot)
        session.add(slot)
        report.count("schedule_slots")
    session.flush()


def _ensure_competition_current(session: Session, report: SeedReport, judges: list[User]) -> None:
    """This year's competition, open for proposals from a week ago to three weeks ahead."""
    zone = ZoneInfo("Asia/Makassar")
    today = clock.now().astimezone(zone).date()
    spec = data.current_competition(today.year)
    exists = session.scalar(
        select(Competition.id).where(
            Competition.name == spec["name"], Competition.year == spec["year"]
        )
    )
    if exists is not None:
        return
    start = datetime.combine(today - timedelta(days=7), time(0, 0), tzinfo=zone)
    end = datetime.combine(today + timedelta(days=22), time(0, 0), tzinfo=zone)
    windows = [("submission", start, end)]
    for key, days in data.CURRENT_STAGE_DAYS:
        windows.append((key, windows[-1][2], windows[-1][2] + timedelta(days=days)))
    competition = Competition(
        **spec,
        organisation_id=organisations.default_id(session),
        published=True,
        proposal_template=default_proposal_template(),
        admin_checklist=default_admin_checklist(),
        current_stage="submission",
    )
    competition.stages = [
        Stage(key=key, name=STAGE_NAMES[key], position=position, starts_at=s, ends_at=e)
        for position, (key, s, e) in enumerate(windows, start=1)
    ]
    session.add(competition)
    session.flush()
    report.count("competitions")
    _ensure_rubric_and_panel(session, report, competition, judges)


def seed_demo(*, session: Session) -> SeedReport:
    """Create whatever part of the demo is missing; never touches what exists."""
    report = SeedReport()
    _ensure_home_organisation(session, report)
    agencies = _ensure_agencies(session, report)
    users = _ensure_users(session, report, agencies)
    competition = _ensure_competition_2021(session, report)
    _ensure_innovations(session, report, competition, agencies, users)
    judges = [users[data.email_for(local)] for local, _name, _code in data.JUDGES]
    _ensure_judging_2021(session, report, competition, judges, users[data.DEMO_ADMIN_EMAIL])
    _ensure_schedule_2021(session, report, competition)
    _ensure_competition_current(session, report, judges)
    province.seed_province(
        session=session,
        report=report,
        luwu_utara=competition,
        admin=users[data.DEMO_ADMIN_EMAIL],
    )
    return report


def demo_loaded(*, session: Session) -> bool:
    return users_service.get_by_email(session=session, email=data.DEMO_ADMIN_EMAIL) is not None
