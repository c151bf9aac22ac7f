"""CSV and JSON bodies into rows of text, and every way a file can be malformed."""

from __future__ import annotations

import pytest

from kipp.imports.parsing import (
    ParseError,
    RowError,
    column_errors,
    decode_utf8,
    parse_csv,
    parse_json,
)


def _errors(body: bytes, parse: object) -> list[RowError]:
    with pytest.raises(ParseError) as caught:
        parse(body)  # type: ignore[operator]
    return caught.value.errors


def test_csv_rows_are_stripped_text_keyed_by_header() -> None:
    table = parse_csv(b'code,name\r\n DLH ,Dinas Lingkungan Hidup\r\nDINKES,"Dinas, Kesehatan"\r\n')
    assert table.columns == ["code", "name"]
    assert table.rows == [
        (1, {"code": "DLH", "name": "Dinas Lingkungan Hidup"}),
        (2, {"code": "DINKES", "name": "Dinas, Kesehatan"}),
    ]


def test_csv_bom_is_accepted_and_indonesian_text_survives() -> None:
    body = "\ufeffcode,name\nDISPORAPAR,Dinas Kepemudaan — Pariwisata\n".encode()
    table = parse_csv(body)
    assert table.columns == ["code", "name"]
    assert table.rows[0][1]["name"] == "Dinas Kepemudaan — Pariwisata"


def test_csv_blank_lines_are_skipped_but_counted() -> None:
    table = parse_csv(b"code,name\nA,a\n\nB,b\n")
    assert [number for number, _ in table.rows] == [1, 3]


def test_csv_quoted_newlines_stay_in_one_cell() -> None:
    table = parse_csv(b'code,name\nA,"two\nlines"\nB,b\n')
    assert table.rows == [(1, {"code": "A", "name": "two\nlines"}), (2, {"code": "B", "name": "b"})]


def test_semicolon_csv_from_indonesian_excel() -> None:
    table = parse_csv(b'external_ref;team_emails\nX;"a@x.id;b@x.id"\n')
    assert table.rows == [(1, {"external_ref": "X", "team_emails": "a@x.id;b@x.id"})]


def test_not_utf8_names_the_byte_offset() -> None:
    body = b"code,name\nDLH,Dinas\n" + b"X,caf\xe9\n"
    [error] = _errors(body, parse_csv)
    assert error.row == 2 and error.field == "body"
    assert "not UTF-8" in str(error.message) and "byte offset 25" in str(error.message)


def test_empty_body_and_header_only() -> None:
    assert _errors(b"", parse_csv)[0].message.en.startswith("the file is empty")
    assert _errors(b"  \r\n", parse_csv)[0].field == "body"
    assert parse_csv(b"code,name\n").rows == []


@pytest.mark.parametrize("body", [b",\n", b" , \n,,\n", b"\n\n;;\n"])
def test_a_file_of_empty_cells_has_no_header(body: bytes) -> None:
    """Only separators and blanks: a clear row-0 error, not a crash (500)."""
    errors = _errors(body, parse_csv)
    assert [(e.row, e.field) for e in errors] == [(0, "body")]
    assert str(errors[0].message).startswith("the file is empty")


def test_header_problems_are_all_named() -> None:
    errors = _errors(b"code,,name,code\nA,,b,c\n", parse_csv)
    assert [(e.row, e.field) for e in errors] == [(0, "column 2"), (0, "code")]


def test_ragged_rows_are_errors_with_their_row() -> None:
    errors = _errors(b"code,name\nA,a,extra\nB,b\nC\n", parse_csv)
    assert [(e.row, e.field) for e in errors] == [(1, "row"), (3, "row")]
    assert "has 3 cells but the header has 2 columns" in str(errors[0].message)


def test_json_array_of_objects() -> None:
    body = b'[{"code": "DLH", "name": " Dinas LH "}, {"code": 7, "name": null}]'
    table = parse_json(body)
    assert table.columns == ["code", "name"]
    assert table.rows == [(1, {"code": "DLH", "name": "Dinas LH"}), (2, {"code": "7", "name": ""})]


def test_json_keys_left_out_are_absent_and_lists_join() -> None:
    body = b'[{"a": "1"}, {"b": ["x@y.id", "z@y.id"]}]'
    table = parse_json(body)
    assert table.columns == ["a", "b"]
    assert table.rows == [(1, {"a": "1"}), (2, {"b": "x@y.id; z@y.id"})]


def test_json_sections_object_is_flattened() -> None:
    table = parse_json(b'[{"external_ref": "X", "sections": {"ringkasan": "Singkat"}}]')
    assert table.rows == [(1, {"external_ref": "X", "section.ringkasan": "Singkat"})]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "the body is empty"),
        (b'{"code": "A"}', "expected a JSON array of objects, got an object"),
        (b'"text"', "got a string"),
        (b"[1,", "not valid JSON"),
    ],
)
def test_json_that_is_not_an_array_of_objects(body: bytes, message: str) -> None:
    [error] = _errors(body, parse_json)
    assert error.row == 0 and message in str(error.message)


def test_json_bad_items_and_values_name_their_row() -> None:
    errors = _errors(b'[{"code": "A"}, 3, {"code": {"x": 1}}, {"code": [1]}]', parse_json)
    assert [(e.row, e.field, str(e.message)) for e in errors] == [
        (2, "row", "expected an object, got a number"),
        (3, "code", "expected text, got an object"),
        (4, "code", "expected text, got an array"),
    ]


def test_json_bom_is_accepted() -> None:
    assert parse_json(b'\xef\xbb\xbf[{"code": "A"}]').rows == [(1, {"code": "A"})]


def test_decode_utf8_drops_the_bom() -> None:
    assert decode_utf8("\ufeffabc".encode()) == "abc"


def test_column_errors_name_missing_and_unknown_columns() -> None:
    errors = column_errors(["code", "nama", "extra"], required=["code", "name"], optional=["note"])
    assert [(e.row, e.field, str(e.message).split(";")[0]) for e in errors] == [
        (0, "name", "required column is missing"),
        (0, "nama", "unknown column"),
        (0, "extra", "unknown column"),
    ]
    assert "the columns are code, name, note" in str(errors[1].message)
    assert column_errors(["name", "code"], required=["code", "name"], optional=[]) == []
