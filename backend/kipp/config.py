"""Settings, read from the environment (prefix ``KIPP_``) or a ``.env`` file."""

from __future__ import annotations

import ipaddress
import json
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import parse_qsl, unquote, urlsplit

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
    # Where evidence files live: empty (the storage_dir folder), file:///path, or
    # s3://bucket[/prefix]?endpoint=https://minio.internal:9000&region=…&addressing=path|virtual.
    # S3 credentials come from boto3's default chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY,
    # AWS_PROFILE, an instance role), never from the URL. A file:// URL wins over storage_dir.
    storage_url: str = ""
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

    @field_validator("storage_url")
    @classmethod
    def _valid_storage_url(cls, value: str) -> str:
        parse_storage_url(value, default_dir=Path("/"))  # ValueError says what is wrong
        return value.strip()

    @model_validator(mode="after")
    def _fill_defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.var_dir / 'kipp.sqlite3'}"
        if self.storage_dir is None:
            self.storage_dir = self.var_dir / "storage"
        location = parse_storage_url(self.storage_url, default_dir=self.storage_dir)
        if location.kind == "file" and location.path is not None:
            self.storage_dir = location.path
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
        """The local storage folder (evidence files when no S3 storage is configured)."""
        assert self.storage_dir is not None
        return self.storage_dir

    @property
    def storage_location(self) -> StorageLocation:
        """Where the evidence files live (read on every call: tests change the settings)."""
        return parse_storage_url(self.storage_url, default_dir=self.storage_path)


S3_OPTIONS = frozenset({"endpoint", "region", "addressing"})
S3_ADDRESSING = frozenset({"auto", "path", "virtual"})


@dataclass(frozen=True)
class StorageLocation:
    """A parsed ``KIPP_STORAGE_URL``: a local folder, or a bucket (and key prefix) of an
    S3-compatible service."""

    kind: Literal["file", "s3"]
    path: Path | None = None
    bucket: str = ""
    prefix: str = ""
    endpoint: str | None = None
    region: str | None = None
    addressing: str = "auto"

    @property
    def url(self) -> str:
        """The location as a URL again (it never holds a secret)."""
        if self.kind == "file":
            return f"file://{self.path}"
        query = "&".join(
            f"{key}={value}"
            for key, value in (
                ("endpoint", self.endpoint),
                ("region", self.region),
                ("addressing", None if self.addressing == "auto" else self.addressing),
            )
            if value
        )
        prefix = f"/{self.prefix}" if self.prefix else ""
        return f"s3://{self.bucket}{prefix}" + (f"?{query}" if query else "")


def parse_storage_url(url: str, *, default_dir: Path) -> StorageLocation:
    """Read a storage URL; empty means the local folder ``default_dir``. ValueError names the
    problem, for the operator."""
    url = url.strip()
    if not url:
        return StorageLocation(kind="file", path=default_dir)
    parts = urlsplit(url)
    if parts.scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise ValueError(f"KIPP_STORAGE_URL: a file URL names an absolute folder: {url}")
        return StorageLocation(kind="file", path=Path(unquote(parts.path)))
    if parts.scheme != "s3":
        raise ValueError(
            f"KIPP_STORAGE_URL must be empty, file:///folder or s3://bucket[/prefix], not {url}"
        )
    if "@" in parts.netloc:
        raise ValueError(
            "KIPP_STORAGE_URL holds no credentials: set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) in the environment instead"
        )
    if not parts.netloc:
        raise ValueError(f"KIPP_STORAGE_URL names no bucket: {url}")
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = sorted(set(options) - S3_OPTIONS)
    if unknown:
        raise ValueError(
            f"KIPP_STORAGE_URL: unknown option {', '.join(unknown)} (known: "
            f"{', '.join(sorted(S3_OPTIONS))}; credentials come from the AWS environment)"
        )
    endpoint = options.get("endpoint") or None
    if endpoint is not None and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ValueError(f"KIPP_STORAGE_URL: the endpoint must be an http(s) URL: {endpoint}")
    addressing = options.get("addressing") or ("path" if endpoint else "auto")
    if addressing not in S3_ADDRESSING:
        raise ValueError(
            f"KIPP_STORAGE_URL: addressing is one of {', '.join(sorted(S3_ADDRESSING))}"
        )
    return StorageLocation(
        kind="s3",
        bucket=parts.netloc,
        prefix=parts.path.strip("/"),
        endpoint=endpoint,
        region=options.get("region") or None,
        addressing=addressing,
    )


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
