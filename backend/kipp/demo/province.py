"""The demo's province: South Sulawesi's organisation, its organiser and judges, its 2021
competition, and Luwu Utara 2021's TOP 7 promoted there. Idempotent like the rest of the seed."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kipp import clock
from kipp import storage as file_storage
from kipp.competitions.defaults import (
    STAGE_NAMES,
    default_admin_checklist,
    default_criteria,
    default_proposal_template,
)
from kipp.config import get_settings
from kipp.demo import data
from kipp.innovations import storage
from kipp.models import (
    Attachment,
    Competition,
    Criterion,
    Innovation,
    Organisation,
    PanelMember,
    Promotion,
    Role,
    Stage,
    User,
)
from kipp.promotions import service as promotions_service
from kipp.ranking import service as ranking_service
from kipp.results import manifest as manifest_service
from kipp.security import hash_password
from kipp.users import service as users_service


class Report(Protocol):
    def count(self, kind: str) -> None: ...


def seed_province(
    *, session: Session, report: Report, luwu_utara: Competition, admin: User
) -> None:
    """The province, its competition, and what it received from Luwu Utara 2021."""
    organisation, judges = _ensure_province(session, report)
    competition = _ensure_competition_province(session, report, organisation, judges)
    _ensure_promotion_2021(session, report, luwu_utara, competition, admin)


def _local(day: str, zone: ZoneInfo) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(0, 0), tzinfo=zone)


def _ensure_rubric_and_panel(
    session: Session, report: Report, competition: Competition, judges: list[User]
) -> None:
    for position, row in enumerate(default_criteria()):
        session.add(Criterion(competition_id=competition.id, position=position, **row))
        report.count("criteria")
    for judge in judges:
        session.add(PanelMember(competition_id=competition.id, user_id=judge.id))
        report.count("panel_members")
    session.flush()


def _demo_pdf(title: str) -> bytes:
    """A one-page PDF standing in for a proposal's evidence (the demo has no real files)."""
    text = f"Bukti dukung (demo): {title}".encode("latin-1", "replace").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 50 780 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += b"trailer\n<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R >>\n"
    return out + b"startxref\n" + str(xref).encode() + b"\n%%EOF\n"


def _ensure_province(session: Session, report: Report) -> tuple[Organisation, list[User]]:
    """The province of South Sulawesi: its organisation, organiser and three judges."""
    spec = data.SULSEL
    province = session.scalar(select(Organisation).where(Organisation.slug == spec["slug"]))
    if province is None:
        province = Organisation(**spec)
        session.add(province)
        session.flush()
        report.count("organisations")
    password_hash: str | None = None
    people: list[User] = []
    for local, name, role in [
        (*data.SULSEL_ORGANISER, Role.ORGANISER),
        *((local, name, Role.JUDGE) for local, name in data.SULSEL_JUDGES),
    ]:
        user = users_service.get_by_email(session=session, email=data.email_for(local))
        if user is None:
            password_hash = password_hash or hash_password(data.DEMO_PASSWORD)
            user = users_service.create(
                session=session,
                actor=None,
                email=data.email_for(local),
                full_name=name,
                role=role,
                agency_id=None,
                password=data.DEMO_PASSWORD,
                password_hash=password_hash,
            )
            user.organisation_id = province.id
            report.count("users")
        people.append(user)
    session.flush()
    return province, [p for p in people if p.role == Role.JUDGE]


def _ensure_competition_province(
    session: Session, report: Report, province: Organisation, judges: list[User]
) -> Competition:
    """KIPP Provinsi Sulawesi Selatan 2021: published, its submission window open now (a week
    ago to three weeks ahead), judged by the province's panel."""
    spec = data.PROVINCE_2021
    competition = session.scalar(
        select(Competition).where(
            Competition.name == spec["name"], Competition.year == spec["year"]
        )
    )
    if competition is not None:
        return competition
    zone = ZoneInfo(str(spec["timezone"]))
    today = clock.now().astimezone(zone).date()
    start = datetime.combine(today - timedelta(days=7), time(0, 0), tzinfo=zone)
    end = datetime.combine(today + timedelta(days=22), time(0, 0), tzinfo=zone)
    windows = [("submission", start, end)]
    for key, days in data.CURRENT_STAGE_DAYS:
        windows.append((key, windows[-1][2], windows[-1][2] + timedelta(days=days)))
    competition = Competition(
        **spec,
        organisation_id=province.id,
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
    return competition


def _ensure_promotion_2021(
    session: Session,
    report: Report,
    luwu_utara: Competition,
    province: Competition,
    admin: User,
) -> None:
    """Luwu Utara 2021 feeds the province, which received its TOP 7 with provenance.

    The 2021 competition stands in the nomination stage (the demo's story starts there), so
    its TOP 7 is the one computed from its simulated scores, and the manifest's SHA-256 is of
    the manifest KIPP builds for that decision (as saving it would freeze it), dated on the
    2021 announcement day. Each of the seven gets a one-page demo PDF as evidence, copied up
    with the proposal. Left alone once the province received anything from Luwu Utara."""
    if luwu_utara.parent_competition_id is None:
        luwu_utara.parent_competition_id = province.id
    already = session.scalar(
        select(Promotion.id).where(
            Promotion.source_competition_id == luwu_utara.id,
            Promotion.target_competition_id == province.id,
        )
    )
    if already is not None or luwu_utara.current_stage != "nomination":
        return
    inputs = ranking_service.load_inputs(session=session, competition=luwu_utara)
    computed = ranking_service.payload(
        ranking_service.compute(
            inputs,
            method=luwu_utara.aggregation_method,
            seed=ranking_service.DEFAULT_SEED,
            bootstrap_samples=ranking_service.DEFAULT_SAMPLES,
        ),
        inputs,
    )
    top = computed.entries[: luwu_utara.top_n]
    decided_at = _local(data.PROMOTED_AT_2021, ZoneInfo(luwu_utara.timezone))
    manifest = manifest_service.build_manifest(
        competition=manifest_service.competition_settings(luwu_utara),
        inputs=inputs,
        method=luwu_utara.aggregation_method,
        seed=ranking_service.DEFAULT_SEED,
        bootstrap_samples=ranking_service.DEFAULT_SAMPLES,
        computed=computed,
        decision={
            "innovation_ids": [entry["innovation_id"] for entry in top],
            "honourable_mention_ids": [],
            "method": luwu_utara.aggregation_method,
            "justification": "Demo: the computed TOP 7 of the simulated scores.",
            "departs_from_ranking": False,
            "tie_at_cutoff": computed.tie_at_cutoff,
            "decided_by": {"id": admin.id, "full_name": admin.full_name},
            "decided_at": decided_at.isoformat(),
        },
        created_at=decided_at,
    )
    sha256 = manifest_service.manifest_sha256(manifest)
    settings = get_settings()
    files = file_storage.for_settings(settings)
    organisation_name = session.scalar(
        select(Organisation.name).where(Organisation.id == luwu_utara.organisation_id)
    )
    sources = {
        i.id: i
        for i in session.scalars(
            select(Innovation)
            .where(Innovation.id.in_([entry["innovation_id"] for entry in top]))
            .options(selectinload(Innovation.team))
        )
    }
    for entry in top:
        source = sources[entry["innovation_id"]]
        stored = storage.store(
            source=io.BytesIO(_demo_pdf(source.title)),
            storage=files,
            max_bytes=settings.max_upload_bytes,
        )
        storage.keep_if_committed(session=session, storage=files, storage_name=stored.storage_name)
        session.add(
            Attachment(
                innovation_id=source.id,
                filename=f"bukti-dukung-{source.external_ref or source.id}.pdf",
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                storage_name=stored.storage_name,
                uploaded_by_id=source.created_by_id,
                created_at=decided_at,
            )
        )
        report.count("attachments")
        session.flush()
        promotions_service.promote_one(
            session=session,
            settings=settings,
            actor=admin,
            source=source,
            child=luwu_utara,
            parent=province,
            organisation_name=organisation_name or "",
            rank=entry["rank"],
            score=round(entry["score"], 4),
            manifest_sha256=sha256,
            tell=False,  # the demo queues no e-mails
        )
        report.count("promotions")
    session.flush()
