"""Levels and promotion: a competition names the next level it feeds; after its announcement
its TOP N (or a part of it) is carried up there with sections, team, evidence and provenance."""

from __future__ import annotations

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kipp import storage as file_storage
from kipp.config import get_settings
from kipp.innovations import storage
from kipp.models import (
    Attachment,
    AuditEvent,
    Competition,
    Innovation,
    Notification,
    Promotion,
    Role,
    User,
)
from tests.api.test_competitions import minimal_body
from tests.api.test_ranking import Judged, judged_competition
from tests.factories import Factory, auth_headers

PDF = b"%PDF-1.4\n% KIPP evidence\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
COMPETITIONS = "/api/v1/competitions"


class World:
    def __init__(
        self, judged: Judged, parent: Competition, provincial_judge: User, member: User
    ) -> None:
        self.member = member
        self.judged = judged
        self.parent = parent
        self.provincial_judge = provincial_judge

    @property
    def child(self) -> Competition:
        return self.judged.competition

    @property
    def admin(self) -> User:
        return self.judged.admin

    @property
    def url(self) -> str:
        return f"{COMPETITIONS}/{self.child.id}/promotions"


def _evidence(factory: Factory, innovation: Innovation, content: bytes = PDF) -> Attachment:
    settings = get_settings()
    stored = storage.store(
        source=io.BytesIO(content),
        storage=file_storage.for_settings(settings),
        max_bytes=settings.max_upload_bytes,
    )
    attachment = Attachment(
        innovation_id=innovation.id,
        filename="sk-bupati.pdf",
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        storage_name=stored.storage_name,
    )
    factory.session.add(attachment)
    factory.session.flush()
    return attachment


def _world(
    client: TestClient,
    factory: Factory,
    *,
    announce: bool = True,
    parent_stage: str = "submission",
    parent_open: bool = True,
) -> World:
    parent = factory.competition(
        name="KIPP Provinsi Uji 2021",
        level="provinsi",
        current_stage=parent_stage,
        open_stage=parent_open,
    )
    provincial_judge = factory.user(Role.JUDGE, full_name="Juri Provinsi")
    factory.add_panel(parent, [provincial_judge])
    judged = judged_competition(factory, parent_competition_id=parent.id)
    first = judged.innovations[0]
    first.summary = "Layanan perizinan dari rumah."
    first.sections = {"latar_belakang": "Antrean panjang di kantor."}
    first.links = ["https://example.com/si-mira"]
    first.video_url = "https://example.com/video"
    member = factory.user(Role.INNOVATOR, agency_id=first.agency_id)
    first.team = [member]
    _evidence(factory, first)
    factory.session.flush()
    world = World(judged, parent, provincial_judge, member)
    if announce:
        nominated = client.post(
            f"{COMPETITIONS}/{world.child.id}/nomination",
            json={"innovation_ids": [i.id for i in judged.innovations[:3]], "method": "mean"},
            headers=auth_headers(world.admin),
        )
        assert nominated.status_code == 200, nominated.text
        advanced = client.post(
            f"{COMPETITIONS}/{world.child.id}/advance", headers=auth_headers(world.admin)
        )
        assert advanced.status_code == 200, advanced.text
        factory.session.expire_all()
    return world


def _count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _promote(client: TestClient, world: World, body: dict[str, Any] | None = None) -> Any:
    return client.post(world.url, json=body or {}, headers=auth_headers(world.admin))


# --------------------------------------------------------------------------- promotion


def test_the_organiser_promotes_the_top_n_with_everything_and_its_provenance(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(client, factory)
    board = client.get(world.url, headers=auth_headers(world.admin)).json()
    assert board["announced"] is True and board["submission_open"] is True
    assert board["parent"]["name"] == "KIPP Provinsi Uji 2021"
    assert [c["rank"] for c in board["candidates"]] == [1, 2, 3]
    assert not any(c["promoted"] for c in board["candidates"])

    response = _promote(client, world)
    assert response.status_code == 200, response.text
    body = response.json()
    assert len(body["created_innovation_ids"]) == 3 and body["already_promoted_ids"] == []
    assert all(c["promoted"] for c in body["board"]["candidates"])

    source = world.judged.innovations[0]
    promotion = session.scalar(select(Promotion).where(Promotion.source_innovation_id == source.id))
    assert promotion is not None and promotion.rank == 1
    copy = session.get(Innovation, promotion.target_innovation_id)
    assert copy is not None
    assert copy.competition_id == world.parent.id
    assert copy.agency_id == source.agency_id
    assert copy.status == "submitted" and copy.submitted_at is not None
    assert (copy.title, copy.summary, copy.sections, copy.links, copy.video_url) == (
        source.title,
        source.summary,
        source.sections,
        source.links,
        source.video_url,
    )

    # The admin reads the proposal with its provenance, and the evidence byte for byte.
    read = client.get(f"/api/v1/innovations/{copy.id}", headers=auth_headers(world.admin))
    assert read.status_code == 200, read.text
    provenance = read.json()["provenance"]
    nomination_sha = client.get(
        f"{COMPETITIONS}/{world.child.id}/nomination", headers=auth_headers(world.admin)
    ).json()["manifest_sha256"]
    assert provenance == {
        "competition_id": world.child.id,
        "competition_name": world.child.name,
        "organisation_name": provenance["organisation_name"],
        "level": "kabupaten",
        "year": world.child.year,
        "source_innovation_id": source.id,
        "rank": 1,
        "score": pytest.approx(promotion.score),
        "manifest_sha256": nomination_sha,
        "promoted_at": provenance["promoted_at"],
        "promoted_by_id": world.admin.id,
    }
    assert provenance["organisation_name"] and promotion.score is not None
    assert [m["id"] for m in read.json()["team"]] == [world.member.id]

    files = client.get(
        f"/api/v1/innovations/{copy.id}/attachments", headers=auth_headers(world.admin)
    ).json()["items"]
    original = session.scalars(
        select(Attachment).where(Attachment.innovation_id == source.id)
    ).one()
    assert [(f["filename"], f["sha256"]) for f in files] == [(original.filename, original.sha256)]
    copied = session.scalars(select(Attachment).where(Attachment.innovation_id == copy.id)).one()
    assert copied.storage_name != original.storage_name

    # Audited (with its sentence) and told to the team.
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "innovation.promote")
    ).all()
    assert sorted(e.entity_id for e in events) == sorted(body["created_innovation_ids"])
    told = session.scalars(
        select(Notification).where(Notification.user_id == world.member.id)
    ).all()
    assert [n.kind for n in told][-1:] == ["proposal_promoted"]


def test_the_parents_judge_reads_a_promoted_proposal_and_its_evidence(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(client, factory)
    created = _promote(client, world).json()["created_innovation_ids"]
    copy_id = session.scalar(
        select(Promotion.target_innovation_id).where(
            Promotion.source_innovation_id == world.judged.innovations[0].id
        )
    )
    judge = auth_headers(world.provincial_judge)
    read = client.get(f"/api/v1/innovations/{copy_id}", headers=judge)
    assert read.status_code == 200, read.text
    assert read.json()["provenance"]["rank"] == 1
    files = client.get(f"/api/v1/innovations/{copy_id}/attachments", headers=judge).json()
    assert files["total"] == 1
    download = client.get(
        f"/api/v1/innovations/{copy_id}/attachments/{files['items'][0]['id']}", headers=judge
    )
    assert download.status_code == 200 and download.content == PDF
    received = client.get("/api/v1/me/promoted-proposals", headers=judge).json()
    assert sorted(item["innovation_id"] for item in received["items"]) == sorted(created)
    assert {item["provenance"]["competition_id"] for item in received["items"]} == {world.child.id}

    # The child's own judges are not the parent's panel; a parent judge of the same agency is
    # conflicted: both are told it does not exist. The team reads it, without provenance.
    assert (
        client.get(
            f"/api/v1/innovations/{copy_id}", headers=auth_headers(world.judged.judges[0])
        ).status_code
        == 404
    )
    conflicted = factory.user(Role.JUDGE, agency_id=world.judged.innovations[0].agency_id)
    factory.add_panel(world.parent, [conflicted])
    assert (
        client.get(f"/api/v1/innovations/{copy_id}", headers=auth_headers(conflicted)).status_code
        == 404
    )
    team = client.get(
        f"/api/v1/innovations/{copy_id}",
        headers=auth_headers(world.member),
    )
    assert team.status_code == 200 and team.json()["provenance"] is None


def test_a_chosen_subset_is_promoted_and_promoting_again_makes_nothing_new(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(client, factory)
    second = world.judged.innovations[1].id
    subset = _promote(client, world, {"innovation_ids": [second]})
    assert subset.status_code == 200, subset.text
    assert len(subset.json()["created_innovation_ids"]) == 1
    assert (
        session.scalar(select(Promotion.rank).where(Promotion.source_innovation_id == second)) == 2
    )

    everything = _promote(client, world).json()
    assert len(everything["created_innovation_ids"]) == 2
    assert everything["already_promoted_ids"] == [second]

    before = (_count(session, Innovation), _count(session, Attachment), _count(session, AuditEvent))
    again = client.post(
        world.url, json={}, headers={**auth_headers(world.admin), "Accept-Language": "en"}
    )
    assert again.status_code == 200, again.text
    assert again.json()["created_innovation_ids"] == []
    assert again.json()["detail"].startswith("Nothing new")
    after = (_count(session, Innovation), _count(session, Attachment), _count(session, AuditEvent))
    assert after == before


def test_only_the_announced_top_n_is_promoted(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(client, factory)
    outside = world.judged.innovations[4].id
    refused = _promote(client, world, {"innovation_ids": [outside]})
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["code"] == "not_in_top"
    assert _count(session, Promotion) == 0


def test_before_the_announcement_nothing_is_promoted(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(client, factory, announce=False)
    refused = _promote(client, world)
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    assert (
        "announced"
        in client.post(
            world.url, json={}, headers={**auth_headers(world.admin), "Accept-Language": "en"}
        ).json()["detail"]
    )
    assert client.get(world.url, headers=auth_headers(world.admin)).json()["announced"] is False
    assert _count(session, Promotion) == 0


@pytest.mark.parametrize(
    ("stage", "window_open"), [("submission", False), ("administrative", True)]
)
def test_only_within_the_parents_submission_window(
    client: TestClient, factory: Factory, session: Session, stage: str, window_open: bool
) -> None:
    world = _world(client, factory, parent_stage=stage, parent_open=window_open)
    refused = _promote(client, world)
    assert refused.status_code == 409, refused.text
    assert _count(session, Promotion) == 0
    assert (
        session.scalar(select(func.count()).where(Innovation.competition_id == world.parent.id))
        == 0
    )


def test_without_a_parent_nothing_is_promoted(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(client, factory)
    world.child.parent_competition_id = None
    session.flush()
    refused = _promote(client, world)
    assert refused.status_code == 409
    assert (
        "parent"
        in client.post(
            world.url, json={}, headers={**auth_headers(world.admin), "Accept-Language": "en"}
        ).json()["detail"]
    )


@pytest.mark.parametrize("role", [Role.JUDGE, Role.INNOVATOR, Role.AGENCY_ADMIN, None])
def test_every_other_role_is_refused(
    client: TestClient, factory: Factory, session: Session, role: Role | None
) -> None:
    world = _world(client, factory)
    headers = auth_headers(factory.user(role)) if role else {}
    expected = 403 if role else 401
    assert client.post(world.url, json={}, headers=headers).status_code == expected
    assert client.get(world.url, headers=headers).status_code == expected
    # The child's own panel judge too.
    judge = auth_headers(world.judged.judges[0])
    assert client.post(world.url, json={}, headers=judge).status_code == 403
    assert _count(session, Promotion) == 0
    if role is not Role.JUDGE:
        assert client.get("/api/v1/me/promoted-proposals", headers=headers).status_code == expected


# --------------------------------------------------------------------------- levels


def _body(**fields: Any) -> dict[str, Any]:
    return minimal_body(name="KIPP Kabupaten Uji", **fields)


def test_a_competition_names_a_published_higher_level_parent(
    client: TestClient, factory: Factory
) -> None:
    admin = auth_headers(factory.admin())
    province = factory.competition(level="provinsi", name="KIPP Provinsi Sulawesi Selatan")
    created = client.post(
        COMPETITIONS, json=_body(level="kota", parent_competition_id=province.id), headers=admin
    )
    assert created.status_code == 201, created.text
    parent = created.json()["parent"]
    assert (parent["id"], parent["name"], parent["level"]) == (
        province.id,
        "KIPP Provinsi Sulawesi Selatan",
        "provinsi",
    )
    assert parent["organisation_name"]
    listed = client.get(COMPETITIONS, params={"limit": 100}, headers=admin).json()["items"]
    assert [c["parent"] for c in listed if c["id"] == created.json()["id"]] == [parent]
    cleared = client.patch(
        f"{COMPETITIONS}/{created.json()['id']}",
        json={"parent_competition_id": None},
        headers=admin,
    )
    assert cleared.status_code == 200 and cleared.json()["parent"] is None


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("same_level", "parent_level"),
        ("lower_level", "parent_level"),
        ("unpublished", "parent_unpublished"),
        ("missing", "parent_not_found"),
    ],
)
def test_a_parent_that_does_not_fit_is_refused_in_both_languages(
    client: TestClient, factory: Factory, session: Session, case: str, code: str
) -> None:
    admin = auth_headers(factory.admin())
    parent_id = {
        "same_level": lambda: factory.competition(level="kabupaten").id,
        "lower_level": lambda: factory.competition(level="kabupaten").id,
        "unpublished": lambda: factory.competition(level="nasional", published=False).id,
        "missing": lambda: 999_999,
    }[case]()
    level = "provinsi" if case == "lower_level" else "kabupaten"
    before = _count(session, Competition)
    for lang, word in (("id", "induk"), ("en", "parent")):
        refused = client.post(
            COMPETITIONS,
            json=_body(level=level, parent_competition_id=parent_id),
            headers={**admin, "Accept-Language": lang},
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["code"] == code
        assert refused.json()["errors"][0]["field"] == "parent_competition_id"
        assert word in refused.json()["detail"]
    assert _count(session, Competition) == before


def test_no_cycles_and_levels_stay_ordered(client: TestClient, factory: Factory) -> None:
    admin = auth_headers(factory.admin())
    national = factory.competition(level="nasional")
    province = factory.competition(level="provinsi", parent_competition_id=national.id)
    regency = factory.competition(level="kabupaten", parent_competition_id=province.id)
    for competition, parent in ((national, regency), (province, province)):
        refused = client.patch(
            f"{COMPETITIONS}/{competition.id}",
            json={"parent_competition_id": parent.id},
            headers=admin,
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"][0]["code"] == "parent_cycle"
    # A province fed by a regency cannot become a regency, nor a national one's parent rise.
    lowered = client.patch(
        f"{COMPETITIONS}/{province.id}", json={"level": "kabupaten"}, headers=admin
    )
    assert lowered.status_code == 422
    assert lowered.json()["errors"][0]["code"] in {"below_a_child", "parent_level"}
    moved = client.patch(f"{COMPETITIONS}/{regency.id}", json={"level": "kota"}, headers=admin)
    assert moved.status_code == 200, moved.text
