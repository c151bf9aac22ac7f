"""Evidence files in a bucket of any S3-compatible service (AWS S3, MinIO, Ceph, Garage, …).

Credentials come from boto3's default chain — ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``
(and ``AWS_SESSION_TOKEN``), ``AWS_PROFILE`` with ``~/.aws/credentials``, or the host's
instance role — never from ``KIPP_STORAGE_URL``.

Uploads go up in parts of :data:`PART_SIZE` (S3's multipart upload once a file is larger than
one part, a single PUT otherwise), so at most one part is held in memory; a failed upload is
aborted and leaves nothing. Downloads stream the response body in chunks.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from typing import Any, Final

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from kipp.config import StorageLocation
from kipp.storage.base import (
    CHUNK_SIZE,
    Blob,
    Missing,
    Reader,
    Storage,
    StorageError,
    resolve_range,
)

# S3 takes parts of at least 5 MiB (all but the last): the smallest part keeps memory lowest.
PART_SIZE: Final = 5 * 1024 * 1024
_MISSING_CODES: Final = frozenset({"404", "NoSuchKey", "NotFound"})


_SESSION_LOCK: Final = threading.Lock()


@functools.cache
def _session() -> Any:
    """One boto3 session per process: it reads the credentials chain and the service model
    once, for every client."""
    return boto3.session.Session()


def _code(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "ClientError"))
    return type(exc).__name__


class S3Storage(Storage):
    """Files as objects ``<prefix>/<key>`` in one bucket."""

    def __init__(self, location: StorageLocation, *, part_size: int = PART_SIZE) -> None:
        assert location.kind == "s3"
        self.location = location
        self.url = location.url
        self.bucket = location.bucket
        self.prefix = location.prefix
        self.part_size = part_size
        config = Config(
            s3={"addressing_style": location.addressing},
            connect_timeout=5,
            read_timeout=60,
            retries={"max_attempts": 3, "mode": "standard"},
            # Checksums only where S3 requires them: MinIO and other S3-compatible services
            # refuse the CRC headers newer clients add by default.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        with _SESSION_LOCK:  # a boto3 session is not thread-safe; the clients it makes are
            self.client: Any = _session().client(
                "s3", endpoint_url=location.endpoint, region_name=location.region, config=config
            )

    def _key(self, key: str) -> str:
        if not key or key.startswith("/") or ".." in key.split("/"):
            raise StorageError(f"not a storage key: {key!r}")
        return f"{self.prefix}/{key}" if self.prefix else key

    def _fail(self, what: str, key: str, exc: Exception) -> StorageError:
        return StorageError(f"{self.url}: {what} {key} failed ({_code(exc)})")

    def write(self, key: str, source: Reader) -> None:
        name = self._key(key)
        data = _read_part(source, self.part_size)
        try:
            if len(data) < self.part_size:
                self.client.put_object(Bucket=self.bucket, Key=name, Body=data)
                return
        except (BotoCoreError, ClientError) as exc:
            raise self._fail("writing", key, exc) from exc
        try:
            upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=name)[
                "UploadId"
            ]
        except (BotoCoreError, ClientError) as exc:
            raise self._fail("writing", key, exc) from exc
        try:
            parts = []
            number = 1
            while data:
                answer = self.client.upload_part(
                    Bucket=self.bucket, Key=name, UploadId=upload_id, PartNumber=number, Body=data
                )
                parts.append({"ETag": answer["ETag"], "PartNumber": number})
                number += 1
                data = b""  # let the part go before reading the next one
                data = _read_part(source, self.part_size)
            self.client.complete_multipart_upload(
                Bucket=self.bucket,
                Key=name,
                UploadId=upload_id,
                MultipartUpload={"Parts": parts},
            )
        except BaseException as exc:
            with contextlib.suppress(BotoCoreError, ClientError):
                self.client.abort_multipart_upload(Bucket=self.bucket, Key=name, UploadId=upload_id)
            if isinstance(exc, BotoCoreError | ClientError):
                raise self._fail("writing", key, exc) from exc
            raise

    def open(self, key: str, *, first: int | None = None, last: int | None = None) -> Blob:
        name = self._key(key)
        options: dict[str, str] = {}
        if first is not None or last is not None:
            size = self.size(key)
            if size is None:
                raise Missing(f"no file {key}")
            start, length = resolve_range(first, last, size)
            options["Range"] = f"bytes={start}-{start + length - 1}"
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=name, **options)
        except ClientError as exc:
            if _code(exc) in _MISSING_CODES:
                raise Missing(f"no file {key}") from exc
            raise self._fail("reading", key, exc) from exc
        except BotoCoreError as exc:
            raise self._fail("reading", key, exc) from exc
        body = answer["Body"]
        length = int(answer["ContentLength"])
        start, size = 0, length
        content_range = answer.get("ContentRange")  # "bytes 0-99/1234"
        if content_range:
            span, _, total = content_range.removeprefix("bytes ").partition("/")
            start, size = int(span.partition("-")[0]), int(total)
        return Blob(chunks=_stream(body), size=size, start=start, length=length, close=body.close)

    def size(self, key: str) -> int | None:
        try:
            answer = self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as exc:
            if _code(exc) in _MISSING_CODES:
                return None
            raise self._fail("looking up", key, exc) from exc
        except BotoCoreError as exc:
            raise self._fail("looking up", key, exc) from exc
        return int(answer["ContentLength"])

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=self._key(key))
        except (BotoCoreError, ClientError) as exc:
            raise self._fail("deleting", key, exc) from exc

    def keys(self, prefix: str = "") -> Iterator[str]:
        root = f"{self.prefix}/" if self.prefix else ""
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=root + prefix):
                for entry in page.get("Contents", []):
                    yield str(entry["Key"])[len(root) :]
        except (BotoCoreError, ClientError) as exc:
            raise self._fail("listing", prefix or "/", exc) from exc

    def check(self) -> str:
        try:
            self.client.head_bucket(Bucket=self.bucket)
        except (BotoCoreError, ClientError) as exc:
            return f"unreachable ({_code(exc)})"
        return "ok"


def _read_part(source: Reader, size: int) -> bytes:
    """Up to ``size`` bytes of ``source``, fewer only at its end."""
    part = bytearray()
    while len(part) < size:
        chunk = source.read(min(CHUNK_SIZE, size - len(part)))
        if not chunk:
            break
        part += chunk
    return bytes(part)


def _stream(body: Any) -> Iterator[bytes]:
    try:
        yield from body.iter_chunks(CHUNK_SIZE)
    finally:
        body.close()
