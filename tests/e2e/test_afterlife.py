"""Life after the award in the browser: a winner's team files its yearly sustainability report
on its proposal page, the organising team reads the year-by-year overview and records a
replication, at the phone's and the desktop's width."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import create_engine, select, update
from sqlalchemy.orm import Session

from kipp.models import Competition, Innovation, User, innovation_team
from tests.e2e.conftest import (
    Server,
    assert_accessible,
    browser_page,
    login,
    running_server,
    screenshot,
)

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Winner:
    server: Server
    competition_id: int
    innovation_id: int
    title: str
    team_email: str


@pytest.fixture(scope="module")
def winner() -> Iterator[Winner]:
    """A server of its own whose first demo innovation with a team won a competition
    announced in November 2024 (so it reports on 2025 and on the year in progress)."""
    with running_server("afterlife") as server:
        engine = create_engine(f"sqlite:///{server.var_dir / 'kipp.sqlite3'}")
        with Session(engine) as session:
            innovation_id, user_id = session.execute(
                select(innovation_team.c.innovation_id, innovation_team.c.user_id).order_by(
                    innovation_team.c.innovation_id
                )
            ).first()  # type: ignore[misc]
            innovation = session.get(Innovation, innovation_id)
            assert innovation is not None
            announced = datetime(2024, 11, 20, 2, 0, tzinfo=UTC)
            session.execute(
                update(Competition)
                .where(Competition.id == innovation.competition_id)
                .values(
                    current_stage="announcement", announced_at=announced, finalised_at=announced
                )
            )
            innovation.status = "winner"
            email = session.scalar(select(User.email).where(User.id == user_id))
            assert email is not None
            found = Winner(
                server, innovation.competition_id, innovation.id, innovation.title, email
            )
            session.commit()
        engine.dispose()
        yield found


def test_the_team_files_a_report_and_the_organisers_see_it(
    browser: Browser, winner: Winner
) -> None:
    this_year = datetime.now(UTC).year
    for size in ("phone", "desktop"):
        with browser_page(browser, winner.server, size) as page:
            login(page, winner.team_email)
            page.goto(f"/innovator/proposals/{winner.innovation_id}")
            section = page.get_by_role("region", name="Laporan keberlanjutan")
            expect(section).to_be_visible()
            section.get_by_role("button", name="Kirim laporan").click()
            year = section.get_by_label("Tahun")
            # The phone files the year in progress (the newest open one), the desktop 2025.
            expected = this_year if size == "phone" else 2025
            year.select_option(str(expected))
            section.get_by_label("Sumber anggaran").fill("APBD")
            section.get_by_label("Regulasi").fill("Perbup No. 12/2022")
            section.get_by_label("Penerima manfaat (orang)").fill("1200")
            section.get_by_role("button", name="Kirim laporan").click()
            expect(section.get_by_role("status")).to_contain_text(
                f"Laporan tahun {expected} terkirim."
            )
            expect(section.get_by_role("heading", name=str(expected), level=3)).to_be_visible()
            assert_accessible(page, include="section[aria-labelledby='sustainability-title']")
            screenshot(page, "afterlife-report")

    for size in ("phone", "desktop"):
        with browser_page(browser, winner.server, size) as page:
            login(page, "admin@demo.kipp.id")
            page.goto(f"/admin/competitions/{winner.competition_id}/sustainability")
            expect(page.get_by_role("heading", name="Keberlanjutan", level=1)).to_be_visible()
            row = page.get_by_role("row").filter(has_text=winner.title)
            expect(row).to_contain_text("berjalan")
            assert_accessible(page)
            screenshot(page, "afterlife-overview")

            page.goto(f"/innovator/proposals/{winner.innovation_id}")
            replications = page.get_by_role("region", name="Replikasi")
            if size == "phone":
                replications.get_by_role("button", name="Catat replikasi").click()
                replications.get_by_label("Nama inovasi replikasi").fill("Hypnogreen")
                replications.get_by_label("Pereplikasi").fill("Kabupaten Luwu Timur")
                replications.get_by_role("button", name="Simpan").click()
                expect(replications.get_by_role("status")).to_contain_text(
                    "Replikasi «Hypnogreen» tercatat."
                )
            expect(replications).to_contain_text("Hypnogreen — Kabupaten Luwu Timur")
            screenshot(page, "afterlife-replications")
