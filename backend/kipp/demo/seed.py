"""Load the demo competition. Idempotent: a second run changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kipp.agencies import service as agencies_service
from kipp.competitions.defaults import (
    STAGE_NAMES,
    default_admin_checklist,
    default_proposal_template,
)
from kipp.demo import data
from kipp.models import Agency, Competition, Innovation, Role, Stage, User
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
    logins = [DemoLogin(data.DEMO_ADMIN_EMAIL, password, Role.ADMIN, "Tim Pelaksana")]
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
    return logins


def _local(day: str, zone: ZoneInfo) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(0, 0), tzinfo=zone)


def _ensure_agencies(session: Session, report: SeedReport) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for code, name in data.AGENCIES:
        agency = agencies_service.get_by_code(session=session, code=code)
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
    for login in demo_logins():
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


def seed_demo(*, session: Session) -> SeedReport:
    """Create whatever part of the demo is missing; never touches what exists."""
    report = SeedReport()
    agencies = _ensure_agencies(session, report)
    users = _ensure_users(session, report, agencies)
    competition = _ensure_competition_2021(session, report)
    _ensure_innovations(session, report, competition, agencies, users)
    return report


def demo_loaded(*, session: Session) -> bool:
    return users_service.get_by_email(session=session, email=data.DEMO_ADMIN_EMAIL) is not None
