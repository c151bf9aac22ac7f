"""End to end through the API: a competition like Luwu Utara 2021, from the first proposal to
the final announcement. Every step is a request; time moves with time_machine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from fastapi.testclient import TestClient

from kipp.competitions.defaults import default_proposal_template

PASSWORD = "rahasia-demo-2021"
API = "/api/v1"

# Windows as in the 2021 article, WITA (UTC+8).
STAGES = [
    ("submission", "2021-10-11", "2021-11-01"),
    ("administrative", "2021-11-01", "2021-11-15"),
    ("presentation", "2021-11-15", "2021-12-01"),
    ("nomination", "2021-12-01", "2021-12-08"),
    ("announcement", "2021-12-08", "2021-12-15"),
]


def _at(day: str, hour: int = 2) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=UTC)


class Actor:
    """Someone using the API: logs in with their password, like the web app does."""

    def __init__(self, client: TestClient, email: str) -> None:
        self.client, self.email = client, email
        self.token: tuple[str, datetime] | None = None

    def headers(self) -> dict[str, str]:
        # Log in again once the clock has moved on: access tokens last 15 minutes.
        now = datetime.now(UTC)
        if self.token is None or now - self.token[1] > timedelta(minutes=10) or now < self.token[1]:
            response = self.client.post(
                f"{API}/auth/token", data={"username": self.email, "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            self.token = (response.json()["access_token"], now)
        return {"Authorization": f"Bearer {self.token[0]}"}

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        response = self.client.request(method, f"{API}{path}", headers=self.headers(), **kwargs)
        assert response.status_code == expect, (method, path, response.text)
        return response.json() if response.content else None


def _sections() -> dict[str, str]:
    template = default_proposal_template()
    return {
        s["key"]: f"Uraian {s['title']} yang lengkap dan jelas."
        for s in template["sections"]
        if "umum" in s["groups"]
    }


def test_from_first_proposal_to_final_announcement(client: TestClient, factory: Any) -> None:
    factory.admin(email="tim@luwuutara.go.id", password_hash=_hash())
    admin = Actor(client, "tim@luwuutara.go.id")
    with time_machine.travel(_at("2021-10-05"), tick=False) as traveller:
        _story(client, admin, traveller)


def _hash() -> str:
    from kipp.security import hash_password

    return hash_password(PASSWORD)


def _story(client: TestClient, admin: Actor, traveller: time_machine.Coordinates) -> None:
    # --- The organising team sets up agencies, accounts and the competition -----------------
    agencies = {
        code: admin.call("POST", "/agencies", 201, json={"code": code, "name": f"Dinas {code}"})
        for code in ("DLH", "DINKES", "DISTAN", "DPMD", "DISKOMINFO", "BAPPEDA")
    }

    def user(email: str, role: str, agency: str | None) -> Actor:
        admin.call(
            "POST",
            "/users",
            201,
            json={
                "email": email,
                "full_name": email.split("@")[0].title(),
                "role": role,
                "agency_id": agencies[agency]["id"] if agency else None,
                "password": PASSWORD,
            },
        )
        return Actor(client, email)

    innovators = {
        code: user(f"inovator.{code.lower()}@luwuutara.go.id", "innovator", code)
        for code in ("DLH", "DINKES", "DISTAN", "DPMD", "DISKOMINFO")
    }
    judges = [
        user("juri.dlh@luwuutara.go.id", "judge", "DLH"),  # sits out DLH's innovation
        user("juri.dinkes@luwuutara.go.id", "judge", "DINKES"),  # sits out DINKES's
        user("juri.bappeda@luwuutara.go.id", "judge", "BAPPEDA"),  # scores everything
    ]
    competition = admin.call(
        "POST",
        "/competitions",
        201,
        json={
            "name": "KIPP Kabupaten Luwu Utara 2021",
            "year": 2021,
            "region": "Kabupaten Luwu Utara",
            "top_n": 2,
            "honourable_mentions": 1,
            "published": True,
            "stages": [
                {"key": k, "starts_at": f"{s}T00:00:00+08:00", "ends_at": f"{e}T00:00:00+08:00"}
                for k, s, e in STAGES
            ],
        },
    )
    cid = competition["id"]
    public = client  # no login

    # --- Submission: innovators draft and submit -------------------------------------------
    traveller.move_to(_at("2021-10-20"))
    proposals: dict[str, int] = {}
    for code, innovator in innovators.items():
        draft = innovator.call(
            "POST",
            f"/competitions/{cid}/innovations",
            201,
            json={
                "title": f"Inovasi {code}",
                "summary": "Ringkasan inovasi.",
                "sections": _sections(),
                "started_on": "2018-06-01",
            },
        )
        assert draft["status"] == "draft"
        submitted = innovator.call("POST", f"/innovations/{draft['id']}/submit")
        assert submitted["status"] == "submitted"
        proposals[code] = draft["id"]
    innovators["DLH"].call("GET", f"/competitions/{cid}/ranking", 403)

    # --- Administrative selection ----------------------------------------------------------
    admin.call("POST", f"/competitions/{cid}/advance", json={"reason": "Semua proposal masuk"})
    checklist = [item["key"] for item in competition["admin_checklist"]]
    for code, innovation_id in proposals.items():
        passed = code != "DISKOMINFO"
        review = admin.call(
            "POST",
            f"/innovations/{innovation_id}/administrative-review",
            json={
                "passed": passed,
                "checks": {key: passed for key in checklist},
                "notes": "" if passed else "Bukti dukung tidak ada.",
            },
        )
        assert review["status"] == ("eligible" if passed else "ineligible")
    admin.call("PUT", f"/competitions/{cid}/judges", json={"user_ids": [_me(j) for j in judges]})
    # The review took the afternoon: the administrative window (opened by the move) is not empty.
    traveller.shift(timedelta(hours=4))
    admin.call("POST", f"/competitions/{cid}/advance")

    # --- Presentation: the judges score what is assigned to them ---------------------------
    traveller.move_to(_at("2021-11-20"))
    level = {"DLH": 9, "DINKES": 8, "DISTAN": 6, "DPMD": 4}
    code_of = {innovation_id: code for code, innovation_id in proposals.items()}
    criteria = admin.call("GET", f"/competitions/{cid}/criteria")
    keys = [c["key"] for c in (criteria["items"] if isinstance(criteria, dict) else criteria)]
    for judge in judges:
        judge.call("GET", f"/competitions/{cid}/ranking", 403)  # not before nomination
        assignments = judge.call("GET", "/me/assignments")["items"]
        assert len(assignments) == (3 if judge is not judges[2] else 4)
        for assignment in assignments:
            innovation_id = assignment["innovation_id"]
            score = level[code_of[innovation_id]]
            judge.call(
                "PUT",
                f"/innovations/{innovation_id}/scores/me",
                json={"scores": dict.fromkeys(keys, score), "comment": "Dinilai saat pemaparan."},
            )
            judge.call("POST", f"/innovations/{innovation_id}/scores/me/submit")
    admin.call("POST", f"/competitions/{cid}/advance")

    # --- Nomination: the panel reads the ranking, the admin records the TOP 2 --------------
    ranking = admin.call("GET", f"/competitions/{cid}/ranking", params={"method": "zscore"})
    top = [e["innovation_id"] for e in ranking["entries"] if e["in_top"]]
    assert top == [proposals["DLH"], proposals["DINKES"]]
    assert ranking["tie_at_cutoff"] is False
    assert judges[0].call("GET", f"/competitions/{cid}/ranking")["entries"]
    innovators["DLH"].call("GET", f"/competitions/{cid}/ranking", 403)
    decision = {
        "innovation_ids": top,
        "honourable_mention_ids": [proposals["DISTAN"]],
        "method": "zscore",
    }
    preview = admin.call("POST", f"/competitions/{cid}/nomination/preview", json=decision)
    assert preview["departs_from_ranking"] is False
    saved = admin.call("POST", f"/competitions/{cid}/nomination", json=decision)
    assert public.get(f"{API}/competitions/{cid}/results").status_code == 404  # not yet

    # --- Announcement: the public reads the results and files an objection -----------------
    traveller.shift(timedelta(hours=2))  # the panel session (the nomination window) takes time
    admin.call("POST", f"/competitions/{cid}/advance")
    results = public.get(f"{API}/competitions/{cid}/results").json()
    assert results["final"] is False and results["objection_period"]["open"] is True
    assert [t["title"] for t in results["top"]] == ["Inovasi DLH", "Inovasi DINKES"]
    assert [h["title"] for h in results["honourable_mentions"]] == ["Inovasi DISTAN"]
    assert results["manifest_sha256"] == saved["manifest_sha256"]
    assert public.get(f"{API}/competitions/{cid}/results/manifest").status_code == 404
    manifest = admin.call("GET", f"/competitions/{cid}/results/manifest")
    assert manifest["verified"] is True and manifest["sha256"] == saved["manifest_sha256"]
    traveller.move_to(_at("2021-11-22"))
    objection = public.post(
        f"{API}/competitions/{cid}/objections",
        json={
            "innovation_id": proposals["DINKES"],
            "name": "Warga Masamba",
            "email": "warga@example.com",
            "text": "Layanan ini belum menjangkau desa kami di Seko.",
        },
    )
    assert objection.status_code == 201, objection.text
    assert admin.call("GET", f"/competitions/{cid}/objections")["total"] == 1
    admin.call("POST", f"/competitions/{cid}/finalise", 409)  # the period is still open

    # --- Time passes: the objection period ends and the result becomes final ---------------
    traveller.move_to(_at("2021-11-26"))
    final = admin.call("POST", f"/competitions/{cid}/finalise")
    assert final["final"] is True
    assert public.get(f"{API}/competitions/{cid}/results").json()["final"] is True
    mine = innovators["DLH"].call("GET", f"/innovations/{proposals['DLH']}")
    assert mine["status"] == "winner"
    other = innovators["DPMD"].call("GET", f"/innovations/{proposals['DPMD']}")
    assert other["status"] == "not_nominated"
    assert admin.call("GET", "/audit/verify")["ok"] is True


def _me(actor: Actor) -> int:
    me: int = actor.call("GET", "/me")["id"]
    return me
