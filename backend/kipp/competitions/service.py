"""Competitions: settings and stage windows (moving between stages is ``kipp.stageflow``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from kipp import clock
from kipp.audit import service as audit_service
from kipp.competitions import defaults, levels, policy, stages
from kipp.competitions.schemas import CompetitionIn, CompetitionParent, StagePatch
from kipp.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    StaleVersion,
    ValidationFailed,
    WindowClosed,
)
from kipp.i18n import Msg, Text
from kipp.models import Competition, Criterion, Organisation, Stage, User
from kipp.organisations import service as organisations

# Settings a PATCH may change, besides ``stages`` (``current_stage`` moves only by advance).
SETTINGS_FIELDS = (
    "name",
    "year",
    "level",
    "region",
    "description",
    "timezone",
    "top_n",
    "honourable_mentions",
    "min_judges",
    "aggregation_method",
    "objection_days",
    "agency_quota",
    "published",
    "parent_competition_id",
    "proposal_template",
    "admin_checklist",
)

# Settings the TOP N decision is made with: frozen from the nomination stage on, so an announced
# decision never disagrees with the competition's own settings.
DECISION_FIELDS = ("top_n", "honourable_mentions", "min_judges", "aggregation_method")


def get(*, session: Session, competition_id: int, with_stages: bool = True) -> Competition:
    """A competition (with its stages loaded), or 404."""
    query = select(Competition).where(Competition.id == competition_id)
    if with_stages:
        query = query.options(selectinload(Competition.stages))
    competition = session.scalar(query)
    if competition is None:
        raise NotFound(
            Msg(id="Lomba {id} tidak ada.", en="Competition {id} does not exist.").format(
                id=competition_id
            )
        )
    return competition


def get_visible(*, session: Session, competition_id: int, user: User | None) -> Competition:
    """A competition the caller may see: published ones, and its organisation's organising
    team (and the platform admin) the unpublished ones; anyone else gets 404."""
    competition = get(session=session, competition_id=competition_id)
    policy.ensure_visible(competition, user)
    return competition


def stage_window(competition: Competition, stage_key: str) -> Stage:
    for stage in competition.stages:
        if stage.key == stage_key:
            return stage
    raise NotFound(
        Msg(id="Tahapan {key} tidak ada.", en="Stage {key} does not exist.").format(key=stage_key)
    )


def require_stage_open(*, competition: Competition, stage_key: str) -> None:
    """Refuse (409) unless ``stage_key`` is the current stage and its window is open now.

    The message names the window in the competition's time zone, so the user knows why.
    """
    window = stage_window(competition, stage_key)
    if competition.current_stage != stage_key:
        raise InvalidTransition(
            Msg(
                id="Ini hanya dapat dilakukan pada tahapan {stage}; lomba sedang berada pada "
                "tahapan {current}.",
                en="This is allowed only in the {stage} stage; the competition is in the "
                "{current} stage.",
            ).format(stage=stages.label(stage_key), current=stages.label(competition.current_stage))
        )
    now = clock.now()
    if now < window.starts_at:
        opens = stages.local_time(window.starts_at, competition.timezone)
        raise WindowClosed(
            Msg(
                id="Jadwal tahapan {stage} dibuka pada {at}.",
                en="The {stage} window opens at {at}.",
            ).format(stage=stages.label(stage_key), at=opens)
        )
    if now >= window.ends_at:
        closed = stages.local_time(window.ends_at, competition.timezone)
        raise WindowClosed(
            Msg(
                id="Jadwal tahapan {stage} ditutup pada {at} (batas waktu).",
                en="The {stage} window closed at {at} (deadline).",
            ).format(stage=stages.label(stage_key), at=closed)
        )


# --------------------------------------------------------------------------- reading


def list_competitions(
    *,
    session: Session,
    user: User | None,
    limit: int,
    offset: int,
    organisation_id: int | None = None,
    level: str | None = None,
) -> tuple[list[Competition], int]:
    """Competitions newest year first: published ones of every organisation, and the unpublished
    ones of the organisations the caller manages; of one organisation or level when asked."""
    query = select(Competition).where(policy.visible(user))
    if organisation_id is not None:
        query = query.where(Competition.organisation_id == organisation_id)
    if level is not None:
        query = query.where(Competition.level == level)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    competitions = session.scalars(
        query.options(selectinload(Competition.stages))
        .order_by(Competition.year.desc(), Competition.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(competitions), total


def snapshot(competition: Competition) -> dict[str, Any]:
    """Every setting and window, as the audit log keeps it."""
    return {
        **{name: getattr(competition, name) for name in SETTINGS_FIELDS},
        "current_stage": competition.current_stage,
        "stages": [
            {
                "key": stage.key,
                "name": stage.name,
                "starts_at": stage.starts_at.astimezone(UTC).isoformat(),
                "ends_at": stage.ends_at.astimezone(UTC).isoformat(),
            }
            for stage in competition.stages
        ],
    }


def parent_links(
    *, session: Session, competitions: Sequence[Competition]
) -> dict[int, CompetitionParent]:
    """The parents (next-level competitions) of ``competitions``, by id, in one query."""
    ids = {c.parent_competition_id for c in competitions if c.parent_competition_id is not None}
    if not ids:
        return {}
    rows = session.execute(
        select(
            Competition.id, Competition.name, Competition.year, Competition.level, Organisation.name
        )
        .join(Organisation, Organisation.id == Competition.organisation_id)
        .where(Competition.id.in_(ids))
    )
    return {
        cid: CompetitionParent(
            id=cid, name=name, year=year, level=level, organisation_name=organisation_name
        )
        for cid, name, year, level, organisation_name in rows
    }


def parent_link(*, session: Session, competition: Competition) -> CompetitionParent | None:
    """The parent of one competition, or None."""
    if competition.parent_competition_id is None:
        return None
    return parent_links(session=session, competitions=[competition]).get(
        competition.parent_competition_id
    )


# --------------------------------------------------------------------------- levels


def _parent_problem(code: str, message: Msg) -> ValidationFailed:
    return ValidationFailed(
        Msg(
            id="Lomba induk (tingkat berikutnya) tidak sah: {why}",
            en="The parent competition (next level) is not valid: {why}",
        ).format(why=message),
        errors=[{"field": "parent_competition_id", "code": code, "message": message}],
    )


def _ancestors(session: Session, competition_id: int) -> list[int]:
    """``competition_id``, its parent, the parent's parent, … (stops at a loop, never spins)."""
    chain: list[int] = []
    current: int | None = competition_id
    while current is not None and current not in chain:
        chain.append(current)
        current = session.scalar(
            select(Competition.parent_competition_id).where(Competition.id == current)
        )
    return chain


def _require_valid_parent(
    *, session: Session, competition_id: int | None, level: str, parent_id: int | None
) -> None:
    """The parent must exist, be published, be neither this competition nor one it feeds (no
    cycles), and stand at a higher level; and, for an existing competition, every competition
    that names it as parent must stay at a lower level."""
    if competition_id is not None:
        for child_id, child_level in session.execute(
            select(Competition.id, Competition.level).where(
                Competition.parent_competition_id == competition_id
            )
        ):
            if not levels.may_feed(child_level, level):
                raise ValidationFailed(
                    Msg(
                        id="Lomba {child} (tingkat {child_level}) meneruskan ke lomba ini; "
                        "tingkat lomba ini harus lebih tinggi.",
                        en="Competition {child} ({child_level}) feeds this one; this one's "
                        "level must be higher.",
                    ).format(child=child_id, child_level=child_level),
                    errors=[
                        {
                            "field": "level",
                            "code": "below_a_child",
                            "message": Msg(
                                id="Harus lebih tinggi dari lomba yang meneruskan ke sini.",
                                en="Must be higher than the competitions that feed this one.",
                            ),
                        }
                    ],
                )
    if parent_id is None:
        return
    parent = session.get(Competition, parent_id)
    if parent is None:
        raise _parent_problem(
            "parent_not_found",
            Msg(id="lomba {id} tidak ada.", en="competition {id} does not exist.").format(
                id=parent_id
            ),
        )
    if competition_id is not None and levels.forms_cycle(
        competition_id, _ancestors(session, parent_id)
    ):
        raise _parent_problem(
            "parent_cycle",
            Msg(
                id="lomba tidak dapat meneruskan ke dirinya sendiri atau ke lomba yang "
                "meneruskan kepadanya.",
                en="a competition cannot feed itself or a competition that feeds it.",
            ),
        )
    if not parent.published:
        raise _parent_problem(
            "parent_unpublished",
            Msg(id="lomba {id} belum diterbitkan.", en="competition {id} is not published.").format(
                id=parent_id
            ),
        )
    if not levels.may_feed(level, parent.level):
        raise _parent_problem(
            "parent_level",
            Msg(
                id="lomba tingkat {level} hanya dapat meneruskan ke tingkat yang lebih tinggi "
                "(kabupaten/kota → provinsi/kementerian → nasional); lomba {id} bertingkat "
                "{parent_level}.",
                en="a {level} competition feeds only a higher level (kabupaten/kota → "
                "provinsi/kementerian → nasional); competition {id} is {parent_level}.",
            ).format(level=level, id=parent_id, parent_level=parent.level),
        )


# --------------------------------------------------------------------------- writing


@dataclass
class _Window:
    key: str
    name: str
    starts_at: datetime
    ends_at: datetime


_WINDOWS_INVALID = Msg(id="Jadwal tahapan tidak sah.", en="The stage windows are not valid.")


def _require_valid_windows(windows: Sequence[_Window]) -> None:
    problems = stages.window_problems(windows)
    if problems:
        raise ValidationFailed(
            _WINDOWS_INVALID,
            errors=[
                {"field": field, "code": code, "message": message}
                for field, code, message in problems
            ],
        )


def create(*, session: Session, actor: User, competition_in: CompetitionIn) -> Competition:
    """A new competition in the submission stage, with the default rubric."""
    windows = [
        _Window(
            key=stage.key,
            name=stage.name or defaults.STAGE_NAMES.get(stage.key, stage.key),
            starts_at=stage.starts_at,
            ends_at=stage.ends_at,
        )
        for stage in competition_in.stages
    ]
    _require_valid_windows(windows)
    _require_valid_parent(
        session=session,
        competition_id=None,
        level=competition_in.level,
        parent_id=competition_in.parent_competition_id,
    )
    settings = competition_in.model_dump(mode="json", exclude={"stages", "organisation_id"})
    competition = Competition(
        **settings,
        organisation_id=organisations.target(session, actor, competition_in.organisation_id),
        current_stage=defaults.STAGE_KEYS[0],
        version=1,
    )
    competition.stages = [
        Stage(key=w.key, name=w.name, position=i + 1, starts_at=w.starts_at, ends_at=w.ends_at)
        for i, w in enumerate(windows)
    ]
    session.add(competition)
    session.flush()
    session.add_all(
        Criterion(competition_id=competition.id, position=position, **criterion)
        for position, criterion in enumerate(defaults.default_criteria())
    )
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="competition.create",
        entity_type="competition",
        entity_id=competition.id,
        competition_id=competition.id,
        after=snapshot(competition),
    )
    return competition


def _merged_windows(competition: Competition, patches: Sequence[StagePatch]) -> list[_Window]:
    windows = {
        stage.key: _Window(stage.key, stage.name, stage.starts_at, stage.ends_at)
        for stage in competition.stages
    }
    errors: list[dict[str, Text]] = []
    seen: set[str] = set()
    for i, patch in enumerate(patches):
        if patch.key not in windows:
            errors.append(
                {
                    "field": f"stages.{i}.key",
                    "code": "no_such_stage",
                    "message": Msg(id="Tahapan ini tidak ada.", en="No such stage."),
                }
            )
            continue
        if patch.key in seen:
            errors.append(
                {
                    "field": f"stages.{i}.key",
                    "code": "listed_twice",
                    "message": Msg(id="Disebut dua kali.", en="Listed twice."),
                }
            )
            continue
        seen.add(patch.key)
        window = windows[patch.key]
        window.name = patch.name or window.name
        window.starts_at = patch.starts_at or window.starts_at
        window.ends_at = patch.ends_at or window.ends_at
    if errors:
        raise ValidationFailed(_WINDOWS_INVALID, errors=errors)
    merged = sorted(windows.values(), key=lambda w: stages.index(w.key))
    _require_valid_windows(merged)
    return merged


def update(
    *,
    session: Session,
    actor: User,
    competition: Competition,
    changes: Mapping[str, Any],
    stage_changes: Sequence[StagePatch] | None = None,
    version: int | None = None,
) -> Competition:
    """Change settings and windows (all checked before anything is written); logged."""
    if version is not None and version != competition.version:
        raise StaleVersion(
            Msg(
                id="Lomba {id} sudah pada versi {current}, bukan {sent}; muat ulang lalu ulangi "
                "perubahan Anda.",
                en="Competition {id} is at version {current}, not {sent}.",
            ).format(id=competition.id, current=competition.version, sent=version)
        )
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValueError(f"not competition settings: {sorted(unknown)}")
    if stages.reached(competition.current_stage, "nomination"):
        frozen = [
            name
            for name in DECISION_FIELDS
            if name in changes and changes[name] != getattr(competition, name)
        ]
        if frozen:
            raise Conflict(
                Msg(
                    id="Pengaturan keputusan dikunci sejak tahapan nominasi.",
                    en="The decision settings are frozen from the nomination stage on.",
                ),
                errors=[
                    {
                        "field": name,
                        "code": "frozen",
                        "message": Msg(
                            id="Dikunci sejak tahapan nominasi.", en="Frozen since nomination."
                        ),
                    }
                    for name in frozen
                ],
            )
    windows = _merged_windows(competition, stage_changes) if stage_changes else None
    if "level" in changes or "parent_competition_id" in changes:
        _require_valid_parent(
            session=session,
            competition_id=competition.id,
            level=changes.get("level", competition.level),
            parent_id=changes.get("parent_competition_id", competition.parent_competition_id),
        )
    before = snapshot(competition)
    for name, value in changes.items():
        setattr(competition, name, value)
    if windows is not None:
        by_key = {w.key: w for w in windows}
        for stage in competition.stages:
            window = by_key[stage.key]
            stage.name, stage.starts_at, stage.ends_at = (
                window.name,
                window.starts_at,
                window.ends_at,
            )
    after = snapshot(competition)
    changed = [key for key in after if after[key] != before[key]]
    if not changed:
        return competition
    competition.version += 1
    session.flush()
    audit_service.record(
        session=session,
        actor=actor,
        action="competition.update",
        entity_type="competition",
        entity_id=competition.id,
        competition_id=competition.id,
        before={key: before[key] for key in changed},
        after={key: after[key] for key in changed},
    )
    return competition
