"""The public innovation catalogue: words, filters, exclusions, pagination, the index following
changes, one innovation's public page, refused queries (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update
from sqlalchemy.orm import Session

from kipp.catalogue.query import parse
from kipp.competitions.defaults import default_proposal_template
from kipp.models import (
    Agency,
    Competition,
    Innovation,
    Nomination,
    Organisation,
    Promotion,
    Replication,
    SustainabilityReport,
)
from tests.factories import Factory

URL = "/api/v1/public/catalogue"

SECTIONS = {
    "ringkasan": "Persalinan aman dengan hipnoterapi bagi ibu hamil",
    "ide_inovatif": "Bidan terlatih mendampingi kelas antenatal",
    "signifikansi": "Angka kematian ibu turun",
    "kontribusi_tpb": "TPB 3 kesehatan",
    "adaptabilitas": "Rahasiaanggaran tidak untuk publik",
}


@dataclass
class Catalogue:
    organisation: Organisation
    other: Organisation
    competition: Competition
    agency: Agency


def _organisation(session: Session, slug: str, name: str, level: str) -> Organisation:
    organisation = Organisation(slug=slug, name=name, level=level, region=name)
    session.add(organisation)
    session.flush()
    return organisation


def _world(factory: Factory, session: Session) -> Catalogue:
    luwu = _organisation(session, "luwu-utara", "Pemerintah Kabupaten Luwu Utara", "kabupaten")
    sulsel = _organisation(session, "sulsel", "Pemerintah Provinsi Sulawesi Selatan", "provinsi")
    competition = factory.competition(
        current_stage="presentation", organisation_id=luwu.id, year=2021
    )
    agency = factory.agency(code="DINKES", name="Dinas Kesehatan", organisation_id=luwu.id)
    return Catalogue(organisation=luwu, other=sulsel, competition=competition, agency=agency)


def _innovation(
    factory: Factory, competition: Competition, agency: Agency, **fields: Any
) -> Innovation:
    return factory.innovation(
        competition, agency=agency, **{"status": "eligible", "sections": SECTIONS, **fields}
    )


def _search(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get(URL, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _ids(client: TestClient, **params: Any) -> list[int]:
    return [item["id"] for item in _search(client, **params)["items"]]


# ------------------------------------------------------------------------------------ words


def test_words_in_title_public_sections_agency_and_organisation_find_it(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(factory, session)
    anc = _innovation(factory, world.competition, world.agency, title="ANC Hipnoterapi")
    _innovation(factory, world.competition, world.agency, title="Sekolah Lapang Kakao", sections={})
    for q in ("hipnoterapi", "HIPNOTERAPI anc", "kelas antenatal", "kematian ibu", "luwu utara"):
        assert anc.id in _ids(client, q=q), q
    assert _ids(client, q="hipnoterapi kakao") == []  # every word must appear
    # A section the template keeps private is never searched.
    assert _ids(client, q="rahasiaanggaran") == []
    body = _search(client, q="hipnoterapi")
    assert body["total"] == 1 and body["sort"] == "relevance"
    item = body["items"][0]
    assert item["title"] == "ANC Hipnoterapi"
    assert item["organisation"] == {
        "id": world.organisation.id,
        "slug": "luwu-utara",
        "name": "Pemerintah Kabupaten Luwu Utara",
        "level": "kabupaten",
    }
    assert item["agency"] == {"id": world.agency.id, "code": "DINKES", "name": "Dinas Kesehatan"}
    assert item["competition"]["year"] == 2021
    assert item["excerpt"] == SECTIONS["ringkasan"]
    assert item["status"] == "eligible" and item["award"] is None
    assert item["sustainability"] == "unreported"
    assert "Rahasia" not in str(body)


def test_the_last_word_is_a_prefix_while_typing(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(factory, session)
    anc = _innovation(factory, world.competition, world.agency, title="ANC Hipnoterapi")
    assert _ids(client, q="hipno") == [anc.id]
    assert _ids(client, q="anc hipn") == [anc.id]
    assert _ids(client, q="hipno ") == []  # a finished word is a whole word
    assert _ids(client, q="!!! ...") == [anc.id]  # no words: no word filter


def test_relevance_puts_title_matches_first(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(factory, session)
    in_text = _innovation(factory, world.competition, world.agency, title="Kelas Ibu")
    in_title = _innovation(
        factory, world.competition, world.agency, title="Hipnoterapi Persalinan", sections={}
    )
    assert _ids(client, q="hipnoterapi") == [in_title.id, in_text.id]


# ------------------------------------------------------------------------------- exclusions


def test_only_published_competitions_past_the_administrative_stage_and_passed_proposals(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(factory, session)
    shown = {
        _innovation(factory, world.competition, world.agency, title=f"Tampil {s}", status=s).id
        for s in ("eligible", "nominated", "not_nominated", "winner")
    }
    for status in ("draft", "submitted", "ineligible", "withdrawn"):
        _innovation(
            factory, world.competition, world.agency, title=f"Sembunyi {status}", status=status
        )
    early = factory.competition(
        current_stage="administrative", organisation_id=world.organisation.id
    )
    _innovation(factory, early, world.agency, title="Sembunyi administrasi")
    unpublished = factory.competition(
        current_stage="announcement", published=False, organisation_id=world.other.id
    )
    other_agency = factory.agency(organisation_id=world.other.id, name="Biro Organisasi")
    _innovation(factory, unpublished, other_agency, title="Sembunyi provinsi", status="winner")
    assert set(_ids(client)) == shown
    assert _ids(client, q="sembunyi") == []
    assert _search(client, organisation="sulsel")["total"] == 0
    for innovation_id in shown:
        assert client.get(f"/api/v1/public/innovations/{innovation_id}").status_code == 200
    hidden = session.query(Innovation.id).filter(Innovation.title.like("Sembunyi%")).all()
    assert len(hidden) == 6
    for (innovation_id,) in hidden:
        response = client.get(f"/api/v1/public/innovations/{innovation_id}")
        assert response.status_code == 404, innovation_id
        assert response.headers["content-type"].startswith("application/problem+json")


def test_the_decision_stays_hidden_until_announced(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(factory, session)
    world.competition.current_stage = "nomination"
    session.flush()
    nominated = _innovation(factory, world.competition, world.agency, status="nominated")
    item = _search(client)["items"][0]
    assert item["id"] == nominated.id
    assert item["status"] == "eligible" and item["award"] is None
    assert _ids(client, award="nominee") == []


# ---------------------------------------------------------------------------------- filters


def test_each_filter(client: TestClient, factory: Factory, session: Session) -> None:
    world = _world(factory, session)
    luwu_2021 = _innovation(factory, world.competition, world.agency, title="Satu")
    luwu_2022_comp = factory.competition(
        current_stage="presentation", organisation_id=world.organisation.id, year=2022
    )
    disdik = factory.agency(
        code="DISDIK", name="Dinas Pendidikan", organisation_id=world.organisation.id
    )
    luwu_2022 = _innovation(factory, luwu_2022_comp, disdik, title="Dua")
    province = factory.competition(
        current_stage="presentation", organisation_id=world.other.id, year=2022, level="provinsi"
    )
    biro = factory.agency(code="BIRO", name="Biro Organisasi", organisation_id=world.other.id)
    sulsel = _innovation(factory, province, biro, title="Tiga")

    assert _ids(client) == [sulsel.id, luwu_2022.id, luwu_2021.id]  # newest year first
    assert _ids(client, organisation="luwu-utara") == [luwu_2022.id, luwu_2021.id]
    assert _ids(client, organisation=str(world.other.id)) == [sulsel.id]
    assert _ids(client, organisation="nowhere") == []
    assert _ids(client, level="provinsi") == [sulsel.id]
    assert _ids(client, level="kabupaten") == [luwu_2022.id, luwu_2021.id]
    assert _ids(client, year=2021) == [luwu_2021.id]
    assert _ids(client, agency=str(disdik.id)) == [luwu_2022.id]
    assert _ids(client, agency="dinkes") == [luwu_2021.id]  # a code, any case
    assert _ids(client, agency="organisasi") == [sulsel.id]  # part of a name
    assert _ids(client, agency="100%") == []  # LIKE wildcards are text
    assert _ids(client, sort="title") == [luwu_2022.id, luwu_2021.id, sulsel.id]
    assert _ids(client, q="dinas", year=2022, organisation="luwu-utara") == [luwu_2022.id]


def test_sustainability_status_is_the_latest_report(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(factory, session)
    running, stopped, unreported = (
        _innovation(factory, world.competition, world.agency, title=t, status="winner")
        for t in ("Jalan", "Berhenti", "Belum")
    )
    session.add_all(
        [
            SustainabilityReport(innovation_id=running.id, year=2022, status="stopped"),
            SustainabilityReport(innovation_id=running.id, year=2023, status="running"),
            SustainabilityReport(innovation_id=stopped.id, year=2022, status="running"),
            SustainabilityReport(innovation_id=stopped.id, year=2024, status="stopped"),
        ]
    )
    session.flush()
    assert _ids(client, status="running") == [running.id]
    assert _ids(client, status="stopped") == [stopped.id]
    assert _ids(client, status="unreported") == [unreported.id]
    page = client.get(f"/api/v1/public/innovations/{stopped.id}").json()
    assert page["sustainability"] == "stopped"
    assert page["sustainability_years"] == [
        {"year": 2024, "status": "stopped"},
        {"year": 2022, "status": "running"},
    ]


def _announced(factory: Factory, session: Session) -> Catalogue:
    world = _world(factory, session)
    world.competition.current_stage = "announcement"
    session.flush()
    return world


def test_awards(client: TestClient, factory: Factory, session: Session) -> None:
    world = _announced(factory, session)
    winner = _innovation(factory, world.competition, world.agency, status="winner")
    mention = _innovation(factory, world.competition, world.agency, status="not_nominated")
    _innovation(factory, world.competition, world.agency, status="not_nominated")
    other = factory.competition(current_stage="announcement", organisation_id=world.other.id)
    nominee = _innovation(factory, other, world.agency, status="nominated")
    for competition, top, mentions in (
        (world.competition, [winner.id], [mention.id]),
        (other, [nominee.id], []),
    ):
        session.add(
            Nomination(
                competition_id=competition.id,
                innovation_ids=top,
                honourable_mention_ids=mentions,
                method="mean",
                manifest={},
                manifest_sha256="0" * 64,
            )
        )
    session.flush()
    assert _ids(client, award="winner") == [winner.id]
    assert _ids(client, award="nominee") == [nominee.id]
    assert _ids(client, award="honourable_mention") == [mention.id]
    awards = {item["id"]: item["award"] for item in _search(client)["items"]}
    assert awards[winner.id] == "winner" and awards[mention.id] == "honourable_mention"
    assert awards[nominee.id] == "nominee"


def test_promoted_innovations(client: TestClient, factory: Factory, session: Session) -> None:
    world = _announced(factory, session)
    promoted = _innovation(factory, world.competition, world.agency, status="winner")
    into_hidden = _innovation(factory, world.competition, world.agency, status="winner")
    _innovation(factory, world.competition, world.agency, status="winner")  # not promoted
    province = factory.competition(
        current_stage="submission", organisation_id=world.other.id, level="provinsi", year=2021
    )
    hidden = factory.competition(
        current_stage="submission", organisation_id=world.other.id, published=False
    )
    for source, target in ((promoted, province), (into_hidden, hidden)):
        copy = factory.innovation(target, agency=world.agency, status="submitted")
        session.add(
            Promotion(
                source_innovation_id=source.id,
                source_competition_id=world.competition.id,
                target_competition_id=target.id,
                target_innovation_id=copy.id,
                source_competition_name=world.competition.name,
                source_organisation_name=world.organisation.name,
                source_level="kabupaten",
                source_year=2021,
                rank=1,
                score=90.0,
                manifest_sha256="0" * 64,
            )
        )
    session.flush()

    # Promoted into a published competition only: an unpublished one is not revealed.
    assert _ids(client, award="promoted") == [promoted.id]
    items = {item["id"]: item for item in _search(client)["items"]}
    assert items[promoted.id]["promoted_to"] == [
        {"id": province.id, "name": province.name, "year": 2021, "level": "provinsi"}
    ]
    assert items[promoted.id]["award"] == "winner"
    assert items[into_hidden.id]["promoted_to"] == []
    page = client.get(f"/api/v1/public/innovations/{promoted.id}").json()
    assert [c["id"] for c in page["promoted_to"]] == [province.id]
    # The copy in the province is a submitted proposal: not in the catalogue (yet).
    assert len(_search(client)["items"]) == 3


def test_pagination(client: TestClient, factory: Factory, session: Session) -> None:
    world = _world(factory, session)
    ids = sorted(
        (_innovation(factory, world.competition, world.agency).id for _ in range(7)), reverse=True
    )
    first = _search(client, limit=3)
    assert [i["id"] for i in first["items"]] == ids[:3]
    assert (first["total"], first["limit"], first["offset"]) == (7, 3, 0)
    last = _search(client, limit=3, offset=6)
    assert [i["id"] for i in last["items"]] == ids[6:] and last["total"] == 7
    beyond = _search(client, limit=3, offset=9)
    assert beyond["items"] == [] and beyond["total"] == 7
    assert _search(client, q="dinas", limit=2, offset=2)["total"] == 7


# ------------------------------------------------------------------- the index follows changes


def test_the_index_follows_every_change(
    client: TestClient, factory: Factory, session: Session
) -> None:
    world = _world(factory, session)
    innovation = _innovation(factory, world.competition, world.agency, title="Lama")
    assert _ids(client, q="lama") == [innovation.id]

    innovation.title = "Baru"  # an edit through the ORM
    session.flush()
    assert _ids(client, q="lama") == [] and _ids(client, q="baru") == [innovation.id]

    session.execute(  # a move through an UPDATE statement (kipp.innovations.lifecycle)
        update(Innovation).where(Innovation.id == innovation.id).values(status="ineligible")
    )
    assert _ids(client, q="baru") == []
    session.execute(
        update(Innovation).where(Innovation.id == innovation.id).values(status="eligible")
    )
    assert _ids(client, q="baru") == [innovation.id]

    world.agency.name = "Dinas Kesehatan Masyarakat"
    world.organisation.name = "Pemerintah Kabupaten Masamba"
    session.flush()
    assert _ids(client, q="masyarakat masamba") == [innovation.id]
    assert _ids(client, q="luwu") == []

    template = default_proposal_template()
    for section in template["sections"]:
        section["public"] = section["key"] == "adaptabilitas"
    world.competition.proposal_template = template
    session.flush()
    assert _ids(client, q="rahasiaanggaran") == [innovation.id]
    assert _ids(client, q="hipnoterapi") == []

    world.competition.published = False
    session.flush()
    assert _ids(client, q="baru") == []
    world.competition.published = True
    session.flush()

    session.delete(innovation)
    session.flush()
    assert _ids(client, q="baru") == []
    assert session.execute(text("SELECT count(*) FROM catalogue_texts")).scalar() == 0


def test_the_index_triggers_exist_at_head(session: Session) -> None:
    if session.get_bind().dialect.name == "sqlite":
        names = set(
            session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).all()
        )
    else:
        names = set(
            session.scalars(
                text("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'catalogue_%'")
            ).all()
        )
    expected = {
        "catalogue_innovations_ai",
        "catalogue_innovations_au",
        "catalogue_innovations_status_au",
        "catalogue_agencies_au",
        "catalogue_competitions_au",
        "catalogue_organisations_au",
    }
    assert expected <= names


def test_postgresql_searches_through_the_gin_index(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner only")
    terms = parse(q="ibu").terms
    assert terms is not None
    # On a table this small the planner would rather scan it: no sequential scans for this one.
    session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = "\n".join(
        session.scalars(
            text(
                "EXPLAIN SELECT innovation_id FROM catalogue_texts "
                "WHERE search @@ to_tsquery('simple'::regconfig, :q)"
            ),
            {"q": terms.tsquery()},
        ).all()
    )
    assert "ix_catalogue_texts_search" in plan, plan


# ------------------------------------------------------------------------- the public page


def test_the_public_page(client: TestClient, factory: Factory, session: Session) -> None:
    world = _world(factory, session)
    original = _innovation(factory, world.competition, world.agency, title="ANC Hipnoterapi")
    province = factory.competition(current_stage="presentation", organisation_id=world.other.id)
    biro = factory.agency(organisation_id=world.other.id)
    replica = _innovation(factory, province, biro, title="Hypnogreen")
    draft_replica = _innovation(factory, province, biro, title="Draf", status="draft")
    session.add_all(
        [
            Replication(
                innovation_id=original.id,
                organisation_id=world.other.id,
                replica_innovation_id=replica.id,
                adopter="RSUD Provinsi",
                name="Hypnogreen",
                started_on=date(2022, 3, 1),
                changes="Ditambah terapi hijau",
            ),
            Replication(
                innovation_id=original.id,
                organisation_id=world.other.id,
                replica_innovation_id=draft_replica.id,
                adopter="Puskesmas",
                name="Draf",
                changes="",
            ),
            Replication(  # a replica of something not public: nothing is said of it
                innovation_id=draft_replica.id,
                organisation_id=world.organisation.id,
                replica_innovation_id=original.id,
                adopter="Dinkes",
                name="x",
                changes="",
            ),
        ]
    )
    session.flush()
    page = client.get(f"/api/v1/public/innovations/{original.id}").json()
    assert page["title"] == "ANC Hipnoterapi"
    assert [s["key"] for s in page["sections"]] == [
        "ringkasan",
        "ide_inovatif",
        "signifikansi",
        "kontribusi_tpb",
    ]
    assert "Rahasia" not in str(page)
    assert [(r["adopter"], r["innovation"]) for r in page["replicated_by"]] == [
        (
            "RSUD Provinsi",
            {
                "id": replica.id,
                "title": "Hypnogreen",
                "organisation": {
                    "id": world.other.id,
                    "slug": "sulsel",
                    "name": "Pemerintah Provinsi Sulawesi Selatan",
                    "level": "provinsi",
                },
            },
        ),
        ("Puskesmas", None),  # its replica is a draft: named by the record, not linked
    ]
    assert page["replicated_from"] == []
    replica_page = client.get(f"/api/v1/public/innovations/{replica.id}").json()
    assert replica_page["replicated_by"] == []
    [source] = replica_page["replicated_from"]
    assert source["innovation"]["id"] == original.id
    assert source["changes"] == "Ditambah terapi hijau" and source["started_on"] == "2022-03-01"
    missing = client.get("/api/v1/public/innovations/999999")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Innovation 999999 is not in the catalogue."


# --------------------------------------------------------------------------- refused queries


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"q": " ".join(["kata"] * 13)}, "q", "too_many_words"),
        ({"q": "x" * 201}, "q", "string_too_long"),
        ({"organisation": "Luwu Utara!"}, "organisation", "invalid_organisation"),
        ({"sort": "relevance"}, "sort", "relevance_needs_words"),
        ({"offset": 10_001}, "offset", "less_than_equal"),
        ({"status": "maybe"}, "status", "literal_error"),
        ({"award": "gold"}, "award", "literal_error"),
        ({"level": "desa"}, "level", "enum"),
        ({"year": 1999}, "year", "greater_than_equal"),
        ({"limit": 51}, "limit", "less_than_equal"),
    ],
)
def test_bad_queries_are_refused_in_both_languages(
    client: TestClient,
    indonesian_client: TestClient,
    params: dict[str, Any],
    field: str,
    code: str,
) -> None:
    english = client.get(URL, params=params)
    indonesian = indonesian_client.get(URL, params=params)
    for response in (english, indonesian):
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        [error] = response.json()["errors"]
        assert (error["field"], error["code"]) == (field, code)
    assert english.json()["errors"][0]["message"] != indonesian.json()["errors"][0]["message"]
