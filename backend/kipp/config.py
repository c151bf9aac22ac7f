"""Settings, read from the environment (prefix ``KIPP_``) or a ``.env`` file."""

from __future__ import annotations

import ipaddress
import json
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_VAR_DIR = PROJECT_ROOT / "var"
INSECURE_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev"})
MIN_SECRET_KEY_BYTES = 32
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


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
    # Logs: one JSON object per line (default outside development) or plain text.
    log_format: Literal["json", "text"] | None = None
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    login_max_failures: int = 5
    login_window_seconds: int = 900
    max_upload_bytes: int = 10 * 1024 * 1024
    # A (account, address) pair is held after login_max_failures; an account failing from
    # anywhere is only slowed: one attempt per this many seconds, so nobody can lock it out.
    login_account_delay_seconds: int = 5
    # Request bodies: JSON (and forms) small; imports their own size and row cap. Uploads
    # use max_upload_bytes plus room for the multipart framing.
    max_json_bytes: int = 1024 * 1024
    max_import_bytes: int = 5 * 1024 * 1024
    max_import_rows: int = 10_000
    # Personal access tokens: the lifetime when none is asked for, and the longest allowed.
    api_token_default_days: int = 90
    api_token_max_days: int = 365
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed: IPs or CIDRs,
    # as a comma list or a JSON list. Empty: the peer address is the client.
    trusted_proxies: Annotated[list[str], NoDecode] = Field(default_factory=list)
    # Notifications. The address people open KIPP at: links in e-mails start with it.
    public_url: str = "http://127.0.0.1:8000"
    # smtp://user:pass@mail.example:587?starttls=true (smtps:// for TLS from the start).
    # Empty: nothing is sent and nothing is lost; e-mails wait in the outbox.
    smtp_url: str = ""
    mail_from: str = "KIPP <kipp@localhost>"
    # For a phone on 3G: JSON answers compressed, the build's precompressed files served, hashed
    # assets cached for a year and index.html revalidated (304). Off only to measure the
    # difference (bench/phone.py --baseline) or behind a proxy that does it instead.
    compression: bool = True
    http_caching: bool = True
    # Single-use links: an invitation to set a first password, a password reset.
    invitation_days: int = Field(default=7, ge=1)
    password_reset_minutes: int = Field(default=30, ge=1)
    # Reset requests per e-mail address and per client address, in login_window_seconds.
    password_reset_max_per_email: int = Field(default=3, ge=1)
    password_reset_max_per_address: int = Field(default=10, ge=1)
    # Judges with unfinished scoresheets are reminded this long before scoring closes.
    reminder_hours: int = Field(default=48, ge=1)
    # A winner's sustainability report for year Y is due from the 1st of this month of Y+1
    # (1 = January): from then on a missing report earns its team one reminder.
    sustainability_due_month: int = Field(default=1, ge=1, le=12)
    # Delivery: a failed e-mail is tried again after mail_retry_seconds, doubling each time,
    # and given up ("dead", the admin may retry it) after mail_max_attempts attempts.
    mail_max_attempts: int = Field(default=8, ge=1, le=30)
    mail_retry_seconds: int = Field(default=60, ge=1)
    smtp_timeout_seconds: float = Field(default=30, gt=0)
    # A worker's claim on the e-mails it is sending; a crashed worker's claim runs out after
    # this and another worker sends them again (with the same Message-ID).
    mail_lease_seconds: int = Field(default=120, ge=1)
    # The delivery worker: `kipp serve` runs it in a thread of the server process unless this
    # is false (then run `kipp worker` on its own); it looks for due mail every poll seconds.
    run_worker: bool = True
    worker_poll_seconds: float = Field(default=2, gt=0)

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _parse_trusted_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _valid_networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            ipaddress.ip_network(entry, strict=False)  # ValueError names the bad entry
        return value

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
        elif (
            self.environment != "development"
            and len(self.secret_key.encode()) < MIN_SECRET_KEY_BYTES
        ):
            # HS256 with a short key can be brute-forced offline from any one token.
            raise ValueError(
                f"KIPP_SECRET_KEY must be at least {MIN_SECRET_KEY_BYTES} bytes outside development"
            )
        if self.api_token_default_days > self.api_token_max_days:
            raise ValueError("KIPP_API_TOKEN_DEFAULT_DAYS may not exceed KIPP_API_TOKEN_MAX_DAYS")
        return self

    @property
    def trusted_proxy_networks(self) -> tuple[IPNetwork, ...]:
        return tuple(ipaddress.ip_network(entry, strict=False) for entry in self.trusted_proxies)

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
