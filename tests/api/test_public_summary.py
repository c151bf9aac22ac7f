"""The public summary of an eligible innovation: only while the public list is public, only
the sections the template marks public, for anyone (so an objection is informed)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from kipp.competitions.defaults import default_proposal_template
from kipp.models import Innovation
from tests.api.test_innovations import World, make_world
from tests.factories import Factory

TEXTS = {
    "ringkasan": "Layanan akta antar jemput",
    "ide_inovatif": "Petugas datang ke rumah",
    "signifikansi": "Waktu tunggu turun",
    "kontribusi_tpb": "TPB 16",
    "adaptabilitas": "Rahasia: rincian anggaran",
    "keberlanjutan": "Rahasia: SK kepala dinas",
}


def _url(world: World, innovation: Innovation) -> str:
    return f"/api/v1/competitions/{world.competition.id}/innovations/{innovation.id}/summary"


def _eligible(factory: Factory, world: World, **fields: object) -> Innovation:
    return factory.innovation(
        world.competition,
        agency=world.agency,
        team=[world.innovator],
        **{"status": "eligible", "sections": TEXTS, **fields},
    )


def test_anyone_reads_the_public_sections_of_an_eligible_innovation(
    client: TestClient, factory: Factory
) -> None:
    world = make_world(factory, current_stage="presentation")
    innovation = _eligible(factory, world, title="Akta Antar Jemput")
    for headers in ({}, world.headers("outsider"), world.headers("judge")):
        response = client.get(_url(world, innovation), headers=headers)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["title"] == "Akta Antar Jemput"
        assert body["agency_code"] == world.agency.code
        assert body["agency_name"] == world.agency.name
        assert [(s["key"], s["title"], s["text"]) for s in body["sections"]] == [
            ("ringkasan", "Ringkasan", TEXTS["ringkasan"]),
            ("ide_inovatif", "Ide Inovatif", TEXTS["ide_inovatif"]),
            ("signifikansi", "Signifikansi", TEXTS["signifikansi"]),
            ("kontribusi_tpb", "Kontribusi terhadap TPB (SDGs)", TEXTS["kontribusi_tpb"]),
        ]
        assert "Rahasia" not in response.text
        assert "team" not in body and "status" not in body


def test_the_template_decides_what_is_public(
    client: TestClient, factory: Factory, session: Session
) -> None:
    template = default_proposal_template()
    for section in template["sections"]:
        section["public"] = section["key"] == "keberlanjutan"
    world = make_world(factory, current_stage="nomination", proposal_template=template)
    innovation = _eligible(factory, world, status="nominated")
    body = client.get(_url(world, innovation)).json()
    assert body["sections"] == [
        {"key": "keberlanjutan", "title": "Keberlanjutan", "text": TEXTS["keberlanjutan"]}
    ]
    # A template saved before sections could be public shows none of them.
    world.competition.proposal_template = {
        **template,
        "sections": [
            {k: v for k, v in section.items() if k != "public"} for section in template["sections"]
        ],
    }
    session.flush()
    assert client.get(_url(world, innovation)).json()["sections"] == []


def test_no_summary_while_the_list_is_not_public(
    client: TestClient, factory: Factory, session: Session
) -> None:
    for stage in ("submission", "administrative"):
        world = make_world(factory, current_stage=stage)
        innovation = _eligible(factory, world)
        for headers in ({}, world.headers("admin")):
            response = client.get(_url(world, innovation), headers=headers)
            assert response.status_code == 404, stage
    world = make_world(factory, current_stage="presentation")
    for status in ("draft", "submitted", "ineligible", "withdrawn"):
        innovation = _eligible(factory, world, status=status)
        response = client.get(_url(world, innovation), headers={"Accept-Language": "en"})
        assert response.status_code == 404, status
        assert "public list" in response.json()["detail"]
    # Another competition's innovation is not on this list.
    other = make_world(factory, current_stage="presentation")
    stranger = _eligible(factory, other)
    assert client.get(_url(world, stranger)).status_code == 404
    # Nor is anything of an unpublished competition (the competition itself is hidden).
    hidden = make_world(factory, current_stage="presentation", published=False)
    innovation = _eligible(factory, hidden)
    assert client.get(_url(hidden, innovation)).status_code == 404
    answer = client.get(_url(world, innovation), headers={"Accept-Language": "id"})
    assert answer.status_code == 404 and "daftar publik" in answer.json()["detail"]
