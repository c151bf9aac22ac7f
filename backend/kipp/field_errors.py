"""Field errors a person can read: pydantic's errors in Indonesian and English, with a code.

FastAPI hands over pydantic's errors (``type``, ``loc``, ``ctx``, English ``msg``). Each one
becomes ``{"field", "pointer", "code", "message"}``: ``code`` is pydantic's ``type`` (or the
domain code our validators give), ``pointer`` an RFC 6901 pointer into the request body or
query, ``message`` a :class:`~kipp.i18n.Msg` written here from the error's ``ctx``. Our own
validators raise :class:`FieldValueError` so their text is bilingual where it is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kipp.i18n import Msg

# Where FastAPI found the value: the first element of ``loc``, not part of the pointer.
_SOURCES = frozenset({"body", "query", "path", "header", "cookie", "form"})


class FieldValueError(ValueError):
    """A validator's complaint, written in both languages, with a stable code.

    Pydantic wraps any ``ValueError`` raised in a validator as a ``value_error``; this one
    carries its own text and code through that wrapping."""

    def __init__(self, message: Msg, *, code: str = "value_error") -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code


def pointer_of(parts: Sequence[object]) -> str:
    """RFC 6901: ``("stages", 3, "starts_at")`` → ``/stages/3/starts_at`` (``~``, ``/`` escaped)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def pointer_from_field(field: str) -> str:
    """The pointer of a dotted field name (``stages.3.starts_at``); ``body`` is the whole body."""
    if field in ("", "body"):
        return ""
    return pointer_of(field.split("."))


def _path(loc: Sequence[Any]) -> list[object]:
    parts = list(loc)
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    # A validator of the whole model (or a wrapped one) names itself in the location:
    # ``function-after[check(), Model]``; it is not part of the document.
    return [p for p in parts if not (isinstance(p, str) and "[" in p and p.endswith("]"))]


def _expected(ctx: Mapping[str, Any]) -> str:
    return str(ctx.get("expected", "")).replace(" or ", " / ")


def _bound(ctx: Mapping[str, Any], key: str) -> str:
    return str(ctx.get(key, ""))


# Messages by pydantic error type; placeholders are filled from the error's ctx.
_MESSAGES: dict[str, Msg] = {
    "missing": Msg(id="Wajib diisi.", en="Required."),
    "string_too_short": Msg(
        id="Minimal {min_length} karakter.", en="At least {min_length} characters."
    ),
    "string_too_long": Msg(
        id="Maksimal {max_length} karakter.", en="At most {max_length} characters."
    ),
    "too_short": Msg(id="Minimal {min_length} butir.", en="At least {min_length} items."),
    "too_long": Msg(id="Maksimal {max_length} butir.", en="At most {max_length} items."),
    "string_type": Msg(id="Harus berupa teks.", en="Must be text."),
    "string_unicode": Msg(id="Harus berupa teks.", en="Must be text."),
    "string_pattern_mismatch": Msg(
        id="Bentuknya tidak sesuai ketentuan.", en="Does not have the required form."
    ),
    "int_parsing": Msg(id="Harus berupa bilangan bulat.", en="Must be a whole number."),
    "int_type": Msg(id="Harus berupa bilangan bulat.", en="Must be a whole number."),
    "int_from_float": Msg(id="Harus berupa bilangan bulat.", en="Must be a whole number."),
    "int_parsing_size": Msg(id="Angkanya terlalu besar.", en="The number is too large."),
    "float_parsing": Msg(id="Harus berupa angka.", en="Must be a number."),
    "float_type": Msg(id="Harus berupa angka.", en="Must be a number."),
    "finite_number": Msg(id="Harus berupa angka yang terhingga.", en="Must be a finite number."),
    "decimal_parsing": Msg(id="Harus berupa angka.", en="Must be a number."),
    "decimal_type": Msg(id="Harus berupa angka.", en="Must be a number."),
    "bool_parsing": Msg(id="Harus bernilai benar atau salah.", en="Must be true or false."),
    "bool_type": Msg(id="Harus bernilai benar atau salah.", en="Must be true or false."),
    "greater_than": Msg(id="Harus lebih dari {gt}.", en="Must be greater than {gt}."),
    "greater_than_equal": Msg(id="Minimal {ge}.", en="Must be at least {ge}."),
    "less_than": Msg(id="Harus kurang dari {lt}.", en="Must be less than {lt}."),
    "less_than_equal": Msg(id="Maksimal {le}.", en="Must be at most {le}."),
    "multiple_of": Msg(
        id="Harus kelipatan {multiple_of}.", en="Must be a multiple of {multiple_of}."
    ),
    "literal_error": Msg(id="Harus salah satu dari: {expected}.", en="Must be one of: {expected}."),
    "enum": Msg(id="Harus salah satu dari: {expected}.", en="Must be one of: {expected}."),
    "datetime_parsing": Msg(
        id="Bukan waktu yang sah (contoh: 2026-03-01T09:00:00+08:00).",
        en="Not a valid date and time (e.g. 2026-03-01T09:00:00+08:00).",
    ),
    "datetime_type": Msg(
        id="Bukan waktu yang sah (contoh: 2026-03-01T09:00:00+08:00).",
        en="Not a valid date and time (e.g. 2026-03-01T09:00:00+08:00).",
    ),
    "datetime_from_date_parsing": Msg(
        id="Bukan waktu yang sah (contoh: 2026-03-01T09:00:00+08:00).",
        en="Not a valid date and time (e.g. 2026-03-01T09:00:00+08:00).",
    ),
    "timezone_aware": Msg(
        id="Sertakan zona waktu (contoh: +08:00).",
        en="Include the time zone offset (e.g. +08:00).",
    ),
    "timezone_naive": Msg(id="Tanpa zona waktu.", en="Without a time zone offset."),
    "date_parsing": Msg(
        id="Bukan tanggal yang sah (contoh: 2026-03-01).",
        en="Not a valid date (e.g. 2026-03-01).",
    ),
    "date_type": Msg(
        id="Bukan tanggal yang sah (contoh: 2026-03-01).",
        en="Not a valid date (e.g. 2026-03-01).",
    ),
    "date_from_datetime_parsing": Msg(
        id="Bukan tanggal yang sah (contoh: 2026-03-01).",
        en="Not a valid date (e.g. 2026-03-01).",
    ),
    "json_invalid": Msg(
        id="Isi permintaan bukan JSON yang sah.", en="The request body is not valid JSON."
    ),
    "json_type": Msg(id="Harus berupa JSON.", en="Must be JSON."),
    "extra_forbidden": Msg(id="Isian ini tidak dikenal.", en="This field is not known."),
    "dict_type": Msg(id="Harus berupa objek.", en="Must be an object."),
    "model_type": Msg(id="Harus berupa objek.", en="Must be an object."),
    "model_attributes_type": Msg(id="Harus berupa objek.", en="Must be an object."),
    "list_type": Msg(id="Harus berupa daftar.", en="Must be a list."),
    "set_type": Msg(id="Harus berupa daftar.", en="Must be a list."),
    "tuple_type": Msg(id="Harus berupa daftar.", en="Must be a list."),
    "uuid_parsing": Msg(id="Bukan UUID yang sah.", en="Not a valid UUID."),
    "url_parsing": Msg(id="Bukan alamat URL yang sah.", en="Not a valid URL."),
    "url_scheme": Msg(id="Bukan alamat URL yang sah.", en="Not a valid URL."),
    "union_tag_invalid": Msg(
        id="Jenisnya harus salah satu dari: {expected_tags}.",
        en="The kind must be one of: {expected_tags}.",
    ),
    "union_tag_not_found": Msg(
        id="Sebutkan jenisnya ({discriminator}).", en="Name its kind ({discriminator})."
    ),
    "none_required": Msg(id="Harus dikosongkan.", en="Must be left empty."),
}

_FALLBACK = Msg(id="Isian ini tidak sah.", en="This value is not valid.")


def message_of(error: Mapping[str, Any]) -> tuple[str, Msg]:
    """The code and the bilingual message of one pydantic error."""
    kind = str(error.get("type", "value_error"))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        if isinstance(cause, FieldValueError):
            return cause.code, cause.message
        # A library's validator (e.g. an e-mail address) writes English only: say it plainly.
        text = str(cause) if cause is not None else str(error.get("msg", ""))
        return kind, Msg(id=f"Isian ini tidak sah: {text}", en=f"This value is not valid: {text}")
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return kind, Msg(id="Tidak boleh kosong.", en="Must not be empty.")
    if kind == "too_short" and ctx.get("min_length") == 1:
        return kind, Msg(id="Isi paling sedikit satu butir.", en="Give at least one item.")
    template = _MESSAGES.get(kind)
    if template is None:
        return kind, _FALLBACK
    params = {
        "min_length": _bound(ctx, "min_length"),
        "max_length": _bound(ctx, "max_length"),
        "gt": _bound(ctx, "gt"),
        "ge": _bound(ctx, "ge"),
        "lt": _bound(ctx, "lt"),
        "le": _bound(ctx, "le"),
        "multiple_of": _bound(ctx, "multiple_of"),
        "expected": _expected(ctx),
        "expected_tags": _bound(ctx, "expected_tags"),
        "discriminator": _bound(ctx, "discriminator"),
    }
    return kind, template.format(**params)


def field_problems(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's errors as ``{"field", "pointer", "code", "message"}`` (message a ``Msg``)."""
    out: list[dict[str, Any]] = []
    for error in errors:
        code, message = message_of(error)
        path = [] if code == "json_invalid" else _path(error.get("loc", ()))
        out.append(
            {
                "field": ".".join(str(p) for p in path) or "body",
                "pointer": pointer_of(path),
                "code": code,
                "message": message,
            }
        )
    return out


def check_fields(count: int) -> Msg:
    """A 422's detail: a sentence, the fields themselves are marked in ``errors``."""
    if count == 1:
        return Msg(id="Periksa isian yang ditandai.", en="Check the marked field.")
    return Msg(id="Periksa {n} isian yang ditandai.", en="Check the {n} marked fields.").format(
        n=count
    )
