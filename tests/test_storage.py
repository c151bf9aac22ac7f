"""The storage interface, one suite for both backends: the local folder and an S3 bucket on a
real S3-protocol server (moto_server on loopback)."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kipp.config import Settings, parse_storage_url
from kipp.innovations import storage as evidence
from kipp.storage import (
    Missing,
    RangeNotSatisfiable,
    Storage,
    StorageError,
    open_location,
    open_url,
)
from kipp.storage.local import LocalStorage
from kipp.storage.s3 import PART_SIZE, S3Storage
from tests.s3 import S3Server

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


@pytest.fixture(params=["file", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "file":
        return open_url(f"file://{tmp_path / 'files'}", default_dir=tmp_path)
    server: S3Server = request.getfixturevalue("s3_server")
    return open_url(server.new_bucket(prefix="kipp/prod"), default_dir=tmp_path)


class _Source(io.RawIOBase):
    """An upload that hands out its bytes in small reads and may fail half-way."""

    def __init__(self, data: bytes, fail_after: int | None = None) -> None:
        self.data = data
        self.position = 0
        self.fail_after = fail_after
        self.largest_read = 0

    def read(self, size: int = -1) -> bytes:
        if self.fail_after is not None and self.position >= self.fail_after:
            raise RuntimeError("the client went away")
        size = len(self.data) if size < 0 else size
        self.largest_read = max(self.largest_read, size)
        chunk = self.data[self.position : self.position + size]
        self.position += len(chunk)
        return chunk


def _read(store: Storage, key: str, **span: int | None) -> bytes:
    blob = store.open(key, **span)
    try:
        return b"".join(blob.chunks)
    finally:
        blob.release()


def test_write_read_size_exists_delete(store: Storage) -> None:
    assert not store.exists("attachments/a.pdf")
    assert store.size("attachments/a.pdf") is None
    store.write("attachments/a.pdf", io.BytesIO(PDF))
    assert store.exists("attachments/a.pdf")
    assert store.size("attachments/a.pdf") == len(PDF)
    assert _read(store, "attachments/a.pdf") == PDF
    assert store.sha256("attachments/a.pdf") == hashlib.sha256(PDF).hexdigest()
    store.delete("attachments/a.pdf")
    assert not store.exists("attachments/a.pdf")
    store.delete("attachments/a.pdf")  # already gone: nothing happens
    with pytest.raises(Missing):
        store.open("attachments/a.pdf")


def test_an_empty_file_and_a_replaced_one(store: Storage) -> None:
    store.write("attachments/empty.pdf", io.BytesIO(b""))
    assert store.size("attachments/empty.pdf") == 0
    assert _read(store, "attachments/empty.pdf") == b""
    store.write("attachments/empty.pdf", io.BytesIO(b"now with bytes"))
    assert _read(store, "attachments/empty.pdf") == b"now with bytes"


def test_keys_list_complete_files_in_order(store: Storage) -> None:
    for name in ("b.pdf", "a.png", "c.jpg"):
        store.write(f"attachments/{name}", io.BytesIO(name.encode()))
    store.write("other/x.pdf", io.BytesIO(b"x"))
    assert list(store.keys("attachments/")) == [
        "attachments/a.png",
        "attachments/b.pdf",
        "attachments/c.jpg",
    ]
    assert len(list(store.keys())) == 4


def test_a_failing_source_leaves_nothing(store: Storage) -> None:
    with pytest.raises(RuntimeError, match="went away"):
        store.write("attachments/broken.pdf", _Source(PDF, fail_after=1000))
    assert not store.exists("attachments/broken.pdf")
    assert list(store.keys()) == []


def test_a_large_file_goes_up_in_parts_and_comes_back_in_chunks(store: Storage) -> None:
    data = os.urandom(PART_SIZE * 2 + 12345)  # three parts on S3
    source = _Source(data)
    store.write("attachments/large.pdf", source)
    assert source.largest_read <= 64 * 1024  # read in chunks, never whole
    assert store.size("attachments/large.pdf") == len(data)
    blob = store.open("attachments/large.pdf")
    sizes = []
    digest = hashlib.sha256()
    for chunk in blob.chunks:
        sizes.append(len(chunk))
        digest.update(chunk)
    blob.release()
    assert max(sizes) <= 64 * 1024 and sum(sizes) == len(data)
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


def test_a_large_write_failing_half_way_leaves_nothing(store: Storage) -> None:
    data = os.urandom(PART_SIZE + 1000)
    with pytest.raises(RuntimeError, match="went away"):  # after the first part went up
        store.write("attachments/half.pdf", _Source(data, fail_after=PART_SIZE + 500))
    assert not store.exists("attachments/half.pdf")
    if isinstance(store, S3Storage):  # the multipart upload was aborted, not left to bill
        uploads = store.client.list_multipart_uploads(Bucket=store.bucket)
        assert uploads.get("Uploads", []) == []


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (0, 9, PDF[:10]),
        (10, None, PDF[10:]),
        (None, 5, PDF[-5:]),
        (100, 10**9, PDF[100:]),  # past the end: up to the end
        (None, 10**9, PDF),  # a suffix longer than the file: all of it
    ],
)
def test_byte_ranges(store: Storage, first: int | None, last: int | None, expected: bytes) -> None:
    store.write("attachments/r.pdf", io.BytesIO(PDF))
    blob = store.open("attachments/r.pdf", first=first, last=last)
    assert (blob.size, blob.length) == (len(PDF), len(expected))
    assert PDF[blob.start : blob.start + blob.length] == expected
    assert b"".join(blob.chunks) == expected


@pytest.mark.parametrize(("first", "last"), [(len(PDF), None), (None, 0), (20, 10)])
def test_ranges_outside_the_file(store: Storage, first: int | None, last: int | None) -> None:
    store.write("attachments/r.pdf", io.BytesIO(PDF))
    with pytest.raises(RangeNotSatisfiable) as caught:
        store.open("attachments/r.pdf", first=first, last=last)
    assert caught.value.size == len(PDF)


def test_unsafe_keys_are_refused(store: Storage) -> None:
    for key in ("../escape.pdf", "/etc/passwd", "attachments/../../x"):
        with pytest.raises(StorageError):
            store.write(key, io.BytesIO(b"x"))


def test_check_says_ok(store: Storage) -> None:
    assert store.check() == "ok"


def test_check_names_what_is_wrong(tmp_path: Path, s3_server: S3Server) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert LocalStorage(blocked).check().startswith("not writable")
    gone = open_url(f"s3://no-such-bucket?endpoint={s3_server.endpoint}", default_dir=tmp_path)
    assert gone.check().startswith("unreachable")
    unreachable = open_url("s3://bucket?endpoint=http://127.0.0.1:9", default_dir=tmp_path)
    assert unreachable.check().startswith("unreachable")


def test_the_prefix_keeps_files_apart(s3_server: S3Server, tmp_path: Path) -> None:
    url = s3_server.new_bucket(prefix="regency")
    regency = open_url(url, default_dir=tmp_path)
    other = open_url(url.replace("/regency?", "/province?"), default_dir=tmp_path)
    whole = open_url(url.replace("/regency?", "?"), default_dir=tmp_path)
    regency.write("attachments/a.pdf", io.BytesIO(b"a"))
    assert list(other.keys()) == []
    assert list(whole.keys()) == ["regency/attachments/a.pdf"]


# ----------------------------------------------------------------------------- the URL


def test_storage_urls() -> None:
    default = Path("/var/kipp/storage")
    assert parse_storage_url("", default_dir=default).path == default
    assert parse_storage_url("file:///srv/kipp", default_dir=default).path == Path("/srv/kipp")
    s3 = parse_storage_url(
        "s3://evidence/luwu-utara?endpoint=https://minio.internal:9000&region=id-south-1",
        default_dir=default,
    )
    assert (s3.kind, s3.bucket, s3.prefix) == ("s3", "evidence", "luwu-utara")
    assert (s3.endpoint, s3.region, s3.addressing) == (
        "https://minio.internal:9000",
        "id-south-1",
        "path",  # a custom endpoint (MinIO) is addressed by path
    )
    assert parse_storage_url("s3://evidence", default_dir=default).addressing == "auto"
    assert parse_storage_url(s3.url, default_dir=default) == s3


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("ftp://host/x", "must be empty, file:///folder or s3://"),
        ("file://relative/x", "absolute folder"),
        ("s3://", "no bucket"),
        ("s3://key:secret@bucket", "AWS_ACCESS_KEY_ID"),
        ("s3://bucket?access_key=x", "unknown option access_key"),
        ("s3://bucket?endpoint=minio:9000", "http(s) URL"),
        ("s3://bucket?addressing=sideways", "addressing is one of"),
    ],
)
def test_bad_storage_urls_are_refused_at_start(url: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint.replace("(", r"\(").replace(")", r"\)")):
        Settings(storage_url=url)


def test_a_file_url_wins_over_the_storage_dir(tmp_path: Path) -> None:
    settings = Settings(storage_url=f"file://{tmp_path}/files", storage_dir=tmp_path / "other")
    assert settings.storage_path == tmp_path / "files"
    assert isinstance(open_location(settings.storage_location), LocalStorage)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    yield
    open_location.cache_clear()


def test_a_stored_file_is_copied_under_a_new_name(store: Storage) -> None:
    # What carrying evidence into another proposal does (kipp.innovations.storage.copy).
    store.write(evidence.key("original.pdf"), io.BytesIO(PDF))
    name = evidence.copy(storage=store, storage_name="original.pdf")
    assert name != "original.pdf" and name.endswith(".pdf")
    assert _read(store, evidence.key(name)) == PDF
    assert _read(store, evidence.key("original.pdf")) == PDF
