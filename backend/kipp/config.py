"""Settings, read from the environment (prefix ``KIPP_``) or a ``.env`` file."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_VAR_DIR = PROJECT_ROOT / "var"
INSECURE_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KIPP_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = Field(default="")
    secret_key: str = ""
    access_token_minutes: int = 15
    refresh_token_days: int = 14
    cors_origins: list[str] = Field(default_factory=list)
    var_dir: Path = DEFAULT_VAR_DIR
    storage_dir: Path | None = None
    frontend_dist: Path = PROJECT_ROOT / "frontend" / "dist"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    login_max_failures: int = 5
    login_window_seconds: int = 900
    max_upload_bytes: int = 10 * 1024 * 1024

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'kipp.sqlite3'}"
        if self.storage_dir is None:
            self.storage_dir = self.var_dir / "storage"
        if self.secret_key in INSECURE_SECRETS:
            if self.environment != "development":
                raise ValueError(
                    "KIPP_SECRET_KEY must be set to a long random value outside development"
                )
            self.secret_key = _development_secret(self.var_dir)
        return self

    @property
    def storage_path(self) -> Path:
        assert self.storage_dir is not None
        return self.storage_dir


def _development_secret(var_dir: Path) -> str:
    """A secret generated once per checkout and kept in ``var/``, so tokens survive restarts."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
