"""The inbox API: my notifications newest first with the unread count, marking one (only my
own) or all read; and my language preference (PATCH /me)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from kipp.i18n import Msg
from kipp.models import Role, User
from kipp.notify import service as notify_service
from kipp.notify.letters import Letter
from tests.factories import Factory, auth_headers


def _tell(session: Session, user: User, n: int) -> None:
    notify_service.send(
        session,
        letter=Letter(
            kind="proposal_submitted",
            subject=Msg(id=f"Kabar {n}", en=f"News {n}"),
            body=Msg(id="Isi", en="Body"),
            link=f"/proposals/{n}",
        ),
        recipients=[notify_service.recipient_of(user)],
    )


def test_my_inbox_newest_first_with_the_unread_count(
    client: TestClient, session: Session, factory: Factory
) -> None:
    me, other = factory.user(role=Role.INNOVATOR), factory.user(role=Role.JUDGE)
    for n in range(3):
        _tell(session, me, n)
    _tell(session, other, 9)
    session.commit()
    headers = auth_headers(me)

    page = client.get("/api/v1/me/notifications", headers=headers).json()
    assert [item["title"] for item in page["items"]] == ["Kabar 2", "Kabar 1", "Kabar 0"]
    assert (page["total"], page["unread"]) == (3, 3)
    first = page["items"][0]
    assert set(first) == {"id", "kind", "title", "body", "link", "created_at", "read_at"}
    assert (first["kind"], first["link"], first["read_at"]) == (
        "proposal_submitted",
        "/proposals/2",
        None,
    )

    read = client.post(f"/api/v1/me/notifications/{first['id']}/read", headers=headers)
    assert read.status_code == 200 and read.json()["read_at"] is not None
    again = client.post(f"/api/v1/me/notifications/{first['id']}/read", headers=headers)
    assert again.json()["read_at"] == read.json()["read_at"]  # the first reading stays

    unread = client.get(
        "/api/v1/me/notifications", params={"unread": "true", "limit": 1}, headers=headers
    ).json()
    assert [item["title"] for item in unread["items"]] == ["Kabar 1"]
    assert (unread["total"], unread["unread"]) == (2, 2)

    marked = client.post("/api/v1/me/notifications/read-all", headers=headers).json()
    assert marked == {"marked": 2, "unread": 0}
    assert client.get("/api/v1/me/notifications", headers=headers).json()["unread"] == 0
    # The other user's inbox is untouched.
    theirs = client.get("/api/v1/me/notifications", headers=auth_headers(other)).json()
    assert (theirs["total"], theirs["unread"]) == (1, 1)


def test_another_users_notification_is_not_found(
    client: TestClient, session: Session, factory: Factory
) -> None:
    me, other = factory.user(role=Role.INNOVATOR), factory.user(role=Role.INNOVATOR)
    _tell(session, other, 1)
    session.commit()
    theirs = client.get("/api/v1/me/notifications", headers=auth_headers(other)).json()
    notification_id = theirs["items"][0]["id"]

    response = client.post(
        f"/api/v1/me/notifications/{notification_id}/read",
        headers={**auth_headers(me), "Accept-Language": "en"},
    )

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["detail"] == "No such notification."
    after = client.get("/api/v1/me/notifications", headers=auth_headers(other)).json()
    assert after["unread"] == 1


def test_bad_paging_is_refused(client: TestClient, factory: Factory) -> None:
    headers = auth_headers(factory.user(role=Role.INNOVATOR))
    for params in ({"limit": 0}, {"offset": -1}, {"unread": "maybe"}):
        response = client.get("/api/v1/me/notifications", params=params, headers=headers)
        assert response.status_code == 422, params


def test_my_language_is_saved_and_used_for_my_messages(
    client: TestClient, session: Session, factory: Factory
) -> None:
    me = factory.user(role=Role.INNOVATOR)
    session.commit()
    headers = auth_headers(me)
    assert client.get("/api/v1/me", headers=headers).json()["locale"] == "id"

    response = client.patch("/api/v1/me", json={"locale": "en"}, headers=headers)

    assert response.status_code == 200 and response.json()["locale"] == "en"
    session.refresh(me)
    _tell(session, me, 5)
    session.commit()
    page = client.get("/api/v1/me/notifications", headers=headers).json()
    assert page["items"][0]["title"] == "News 5"

    for body in ({"locale": "fr"}, {}, {"locale": None}):
        refused = client.patch("/api/v1/me", json=body, headers=headers)
        assert refused.status_code == 422, body
    session.refresh(me)
    assert me.locale == "en"
