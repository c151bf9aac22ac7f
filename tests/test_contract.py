"""The API keeps its contract: Schemathesis over every operation of the live app.

A real `kipp serve` on a database of its own (migrated, the demo loaded; SQLite, or PostgreSQL
when the run uses it) is called with generated requests — valid ones, and invalid ones the
schema rules out — as anonymous and as the demo admin. Every answer must be no server error,
match its declared schema, and have a declared status code.

Sized for CI and deterministic: the coverage phase (every boundary the schema defines) and a
bounded, derandomised fuzzing phase per operation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import create_engine, select, update

from kipp.app import create_app
from kipp.config import get_settings
from kipp.demo import seed
from kipp.models import Role, User
from kipp.security import hash_password
from tests.live import LiveServer, kipp, kipp_env, running
from tests.test_scaleout import own_database

FUZZED_EXAMPLES = 6
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
ADMIN = next(login for login in seed.demo_logins() if login.role == Role.ADMIN)

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 2021,
        "generation": {"deterministic": True, "max-examples": FUZZED_EXAMPLES},
        "phases": {"stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(create_app(get_settings()).openapi(), config=CONFIG)


class Demo:
    """The live demo server and the admin's credential, kept valid between operations."""

    def __init__(self, server: LiveServer, database_url: str) -> None:
        self.server = server
        self.database_url = database_url
        self.token = ""
        self.admin_id: int | None = None
        self.calls: Counter[str] = Counter()
        self.statuses: Counter[int] = Counter()

    def admin_headers(self) -> dict[str, str]:
        """A working admin token. A generated request may have changed the admin (a new
        password or e-mail through PATCH /users/{id}): the account is put back first."""
        with httpx.Client(base_url=self.server.base_url, timeout=30) as client:
            headers = {"Authorization": f"Bearer {self.token}"}
            if self.token and client.get("/api/v1/me", headers=headers).status_code == 200:
                return headers
            self._restore_admin()
            response = client.post(
                "/api/v1/auth/token", data={"username": ADMIN.email, "password": ADMIN.password}
            )
            assert response.status_code == 200, response.text
            self.token = response.json()["access_token"]
        return {"Authorization": f"Bearer {self.token}"}

    def _restore_admin(self) -> None:
        engine = create_engine(self.database_url)
        try:
            with engine.begin() as connection:
                # By id: a generated PATCH may have renamed the admin, changed their e-mail or
                # role, or deactivated them; all of it is put back.
                admin_id = (
                    connection.scalar(
                        select(User.id).where(User.role == Role.ADMIN).order_by(User.id).limit(1)
                    )
                    if self.admin_id is None
                    else self.admin_id
                )
                self.admin_id = admin_id
                connection.execute(
                    update(User)
                    .where(User.id == admin_id)
                    .values(
                        email=ADMIN.email,
                        full_name=ADMIN.full_name,
                        role=Role.ADMIN.value,
                        password_hash=hash_password(ADMIN.password),
                        is_active=True,
                    )
                )
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    tmp_path = tmp_path_factory.mktemp("contract")
    with own_database(tmp_path) as database_url:
        env = kipp_env(database_url, tmp_path / "var", environment="development")
        for command in (("db", "upgrade"), ("seed-demo",)):
            result = kipp(env, *command)
            assert result.returncode == 0, result.stderr
        with running(env, tmp_path / "serve.log") as server:
            demo = Demo(server, database_url)
            yield demo
    print(
        f"\ncontract: {len(demo.calls)} operation × caller runs, {demo.calls.total()} calls, "
        f"statuses {dict(sorted(demo.statuses.items()))}"
    )


@pytest.mark.parametrize("caller", ["anonymous", "admin"])
@schema.parametrize()
def test_every_operation_keeps_its_contract(case: Any, caller: str, demo: Demo) -> None:
    headers = demo.admin_headers() if caller == "admin" else {}
    response = case.call_and_validate(base_url=demo.server.base_url, headers=headers, checks=CHECKS)
    demo.calls[f"{case.operation.label} {caller}"] += 1
    demo.statuses[response.status_code] += 1
