"""Test data factories: real rows through the ORM, sensible defaults, overridable fields."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from kipp.competitions.defaults import (
    STAGE_KEYS,
    STAGE_NAMES,
    default_admin_checklist,
    default_proposal_template,
)
from kipp.config import get_settings
from kipp.models import Agency, Competition, Innovation, Organisation, Role, Stage, User
from kipp.organisations.service import default_id as default_organisation_id
from kipp.security import create_access_token, hash_password

PASSWORD = "correct-horse-battery"
_sequence = itertools.count(1)


@lru_cache
def password_hash() -> str:
    return hash_password(PASSWORD)


def auth_headers(user: User) -> dict[str, str]:
    token = create_access_token(
        user_id=user.id, secret_key=get_settings().secret_key, lifetime=timedelta(minutes=15)
    )
    return {"Authorization": f"Bearer {token}"}


class Factory:
    def __init__(self, session: Session) -> None:
        self.session = session

    def agency(self, **fields: Any) -> Agency:
        n = next(_sequence)
        agency = Agency(
            **{
                "code": f"AG{n}",
                "name": f"Agency {n}",
                "organisation_id": default_organisation_id(self.session),
                **fields,
            }
        )
        self.session.add(agency)
        self.session.flush()
        return agency

    def user(self, role: Role | str = Role.INNOVATOR, **fields: Any) -> User:
        n = next(_sequence)
        role = Role(role)
        no_agency = role in (Role.ADMIN, Role.ORGANISER)
        if "agency_id" not in fields and "agency" not in fields and not no_agency:
            fields["agency"] = self.agency(
                **(
                    {"organisation_id": fields["organisation_id"]}
                    if "organisation_id" in fields
                    else {}
                )
            )
        agency = fields.pop("agency", None)
        user = User(
            **{
                "email": f"user{n}@example.com",
                "full_name": f"User {n}",
                "role": role.value,
                "agency_id": agency.id if agency else None,
                "organisation_id": (
                    agency.organisation_id if agency else default_organisation_id(self.session)
                ),
                "password_hash": password_hash(),
                "is_active": True,
                **fields,
            }
        )
        self.session.add(user)
        self.session.flush()
        return user

    def admin(self, **fields: Any) -> User:
        return self.user(Role.ADMIN, **fields)

    def organiser(self, **fields: Any) -> User:
        """An organiser (of the default organisation unless ``organisation_id`` says)."""
        return self.user(Role.ORGANISER, **fields)

    def organisation(self, **fields: Any) -> Organisation:
        n = next(_sequence)
        organisation = Organisation(
            **{
                "slug": f"org-{n}",
                "name": f"Organisation {n}",
                "level": "kabupaten",
                "region": f"Kabupaten {n}",
                **fields,
            }
        )
        self.session.add(organisation)
        self.session.flush()
        return organisation

    def competition(
        self, *, current_stage: str = "submission", open_stage: bool = True, **fields: Any
    ) -> Competition:
        """A competition whose current stage's window is open now (unless told otherwise)."""
        now = datetime.now(UTC)
        current = STAGE_KEYS.index(current_stage)
        competition = Competition(
            **{
                "name": f"KIPP Test {next(_sequence)}",
                "organisation_id": default_organisation_id(self.session),
                "year": now.year,
                "level": "kabupaten",
                "region": "Kabupaten Uji",
                "timezone": "Asia/Makassar",
                "top_n": 7,
                "published": True,
                "proposal_template": default_proposal_template(),
                "admin_checklist": default_admin_checklist(),
                "current_stage": current_stage,
                **fields,
            }
        )
        week = timedelta(days=7)
        first_start = now - week * current - (timedelta(days=1) if open_stage else 2 * week)
        competition.stages = [
            Stage(
                key=key,
                name=STAGE_NAMES[key],
                position=i + 1,
                starts_at=first_start + week * i,
                ends_at=first_start + week * (i + 1),
            )
            for i, key in enumerate(STAGE_KEYS)
        ]
        self.session.add(competition)
        self.session.flush()
        return competition

    def innovation(
        self,
        competition: Competition,
        *,
        agency: Agency | None = None,
        team: list[User] | None = None,
        **fields: Any,
    ) -> Innovation:
        agency = agency or self.agency()
        innovation = Innovation(
            **{
                "competition_id": competition.id,
                "agency_id": agency.id,
                "title": f"Inovasi {next(_sequence)}",
                "group": "umum",
                "category": "Pelayanan",
                "origin": "other",
                "status": "draft",
                "sections": {},
                "links": [],
                **fields,
            }
        )
        innovation.team = team or []
        self.session.add(innovation)
        self.session.flush()
        return innovation

    # -- judging II: panel, rubric and scoresheets straight into the tables -----------------

    def add_panel(self, competition: Competition, judges: list[User]) -> None:
        from kipp.models import PanelMember

        for judge in judges:
            self.session.add(PanelMember(competition_id=competition.id, user_id=judge.id))
        self.session.flush()

    def add_default_criteria(self, competition: Competition) -> None:
        from kipp.competitions.defaults import default_criteria
        from kipp.models import Criterion

        for position, row in enumerate(default_criteria()):
            self.session.add(Criterion(competition_id=competition.id, position=position, **row))
        self.session.flush()

    def add_scoresheet(
        self,
        innovation: Innovation,
        judge: User,
        scores: dict[str, int] | int,
        *,
        status: str = "final",
    ) -> None:
        """A scoresheet; an int gives that score on every default criterion."""
        from kipp.competitions.defaults import default_criteria
        from kipp.models import Score, Scoresheet

        if isinstance(scores, int):
            scores = {c["key"]: scores for c in default_criteria()}
        sheet = Scoresheet(
            competition_id=innovation.competition_id,
            innovation_id=innovation.id,
            judge_id=judge.id,
            status=status,
            submitted_at=datetime.now(UTC) if status == "final" else None,
        )
        sheet.scores = [Score(criterion_key=k, value=v) for k, v in scores.items()]
        self.session.add(sheet)
        self.session.flush()

    # -- judging I: a recorded conflict of interest ---------------------------------------

    def add_conflict(
        self, innovation: Innovation, judge: User, *, source: str = "declared", reason: str = "x"
    ) -> None:
        from kipp.models import ConflictOfInterest

        self.session.add(
            ConflictOfInterest(
                competition_id=innovation.competition_id,
                innovation_id=innovation.id,
                judge_id=judge.id,
                source=source,
                reason=reason,
            )
        )
        self.session.flush()
