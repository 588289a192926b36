"""Reading import files: the kind, encoding and delimiter ``sniff`` finds, and the columns and rows read back from
CSV files (UTF-8 with and without a byte order mark, ISO-8859-1, commas and semicolons, quoted fields) and Excel
workbooks; binary files are refused with a message whatever their name."""

import datetime
import io
import zipfile

import pytest

from secondcrm.imports.reading import UnreadableFile, file_columns, read_rows, sample_rows, sniff
from tests.imports.jobs import new_job, xlsx_bytes

pytestmark = pytest.mark.django_db


def rows(job) -> list[tuple[int, list[str]]]:
    return list(read_rows(job))


def test_it_reads_utf8_with_and_without_a_byte_order_mark(manager):
    text = "First Name,Last Name\nZoë,Ørsted\n"
    for data in (text.encode(), b"\xef\xbb\xbf" + text.encode()):
        facts = sniff(io.BytesIO(data), "contacts.csv")
        assert (facts.kind, facts.encoding, facts.delimiter) == ("csv", "utf-8", ",")
        job = new_job(manager, data)
        assert file_columns(job) == ["First Name", "Last Name"]  # no stray BOM on the first header
        assert rows(job) == [(2, ["Zoë", "Ørsted"])]


def test_it_reads_iso_8859_1(manager):
    data = "Last Name;City\nBéranger;Orléans\n".encode("iso-8859-1")

    facts = sniff(io.BytesIO(data), "contacts.csv")

    assert (facts.encoding, facts.delimiter) == ("iso-8859-1", ";")
    assert rows(new_job(manager, data)) == [(2, ["Béranger", "Orléans"])]


def test_it_takes_the_delimiter_that_splits_the_header(manager):
    assert sniff(io.BytesIO(b"a;b;c\n1;2,5;3\n"), "x.csv").delimiter == ";"
    assert sniff(io.BytesIO(b"a,b,c\n1,2;5,3\n"), "x.csv").delimiter == ","
    assert sniff(io.BytesIO(b"Last Name\nSmith\n"), "x.csv").delimiter == ","


def test_it_reads_quoted_fields_with_doubled_quotes_delimiters_and_line_breaks(manager):
    data = 'Last Name,Description\n"Smith, Jr.","He said ""hello""\nand left"\n"O\'Brien",""\n'

    job = new_job(manager, data)

    assert rows(job) == [(2, ["Smith, Jr.", 'He said "hello"\nand left']), (3, ["O'Brien", ""])]


def test_rows_are_numbered_as_a_spreadsheet_numbers_them_and_empty_rows_are_left_out(manager):
    job = new_job(manager, "Last Name,Email\r\nA,a@x.com\r\n,\r\n\r\nB,b@x.com\r\n")

    assert rows(job) == [(2, ["A", "a@x.com"]), (5, ["B", "b@x.com"])]
    assert sample_rows(job, count=1) == [["A", "a@x.com"]]


def test_rows_with_more_or_fewer_cells_are_read_as_they_are(manager):
    job = new_job(manager, "Last Name,Email\nA\nB,b@x.com,extra\n")

    assert rows(job) == [(2, ["A"]), (3, ["B", "b@x.com", "extra"])]


def test_without_a_header_every_row_is_data_and_columns_are_numbered(manager):
    job = new_job(manager, "Smith,s@x.com,Sales\nJones,j@x.com,IT\n", has_header=False)

    assert job.columns == ["Column 1", "Column 2", "Column 3"]
    assert [number for number, _ in rows(job)] == [1, 2]


def test_an_empty_header_cell_is_named_by_its_position(manager):
    assert new_job(manager, "Last Name,,Email\nA,x,a@x.com\n").columns == ["Last Name", "Column 2", "Email"]


def test_text_invalid_in_the_chosen_encoding_names_its_row(manager):
    data = b"Last Name\nSmith\n" + "Müller\n".encode("iso-8859-1")
    job = new_job(manager, data, encoding="utf-8")

    with pytest.raises(UnreadableFile, match=r"Row 3 is not valid UTF-8 text.*ISO-8859-1"):
        rows(job)
    # Detected, the same file is read as ISO-8859-1 throughout.
    assert sniff(io.BytesIO(data), "contacts.csv").encoding == "iso-8859-1"


def test_it_reads_the_first_sheet_of_a_workbook_with_dates_numbers_checkboxes_and_formulas_as_text(manager):
    data = xlsx_bytes(
        [
            ["Last Name", "Birthdate", "Employees", "Revenue", "Opt Out", "Note"],
            ["Smith", datetime.datetime(1980, 5, 17), 3800, 12.5, True, "=1+2"],
            [None, None, None, None, None, None],
            ["Jones", datetime.datetime(1990, 1, 2, 13, 30), 12.0, None, False, "@SUM(A1)"],
        ]
    )

    facts = sniff(io.BytesIO(data), "contacts.xlsx")
    job = new_job(manager, data, name="contacts.xlsx")

    assert facts.kind == "xlsx" and job.file_kind == "xlsx"
    assert job.columns == ["Last Name", "Birthdate", "Employees", "Revenue", "Opt Out", "Note"]
    assert rows(job) == [
        (2, ["Smith", "1980-05-17", "3800", "12.5", "1", "=1+2"]),
        (4, ["Jones", "1990-01-02 13:30:00", "12", "", "0", "@SUM(A1)"]),
    ]


def test_a_binary_file_is_refused_whatever_its_name(manager):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    with pytest.raises(UnreadableFile, match="This file is not text"):
        sniff(io.BytesIO(png), "contacts.csv")


def test_other_files_are_refused_with_what_to_do(manager):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("word/document.xml", "<w/>")
    cases = [
        (b"", "contacts.csv", "This file is empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "contacts.xls", r"save it as \.xlsx or as CSV"),
        (b"Last Name\nSmith\n", "contacts.xlsx", "not an Excel workbook"),
        ("Last Name\tCity\nSmith\tParis\n".encode("utf-16"), "contacts.csv", 'save it as "CSV UTF-8"'),
        (archive.getvalue(), "contacts.csv", "ZIP archive"),
        (b"PK\x03\x04garbage", "contacts.xlsx", "damaged"),
    ]
    for data, name, message in cases:
        with pytest.raises(UnreadableFile, match=message):
            sniff(io.BytesIO(data), name)


def test_a_50_mb_file_is_read_row_by_row(manager):
    row = "Lovelace,ada.lovelace@example.com,Analytical Engines Ltd,+44 20 7946 0000,London,United Kingdom\n"
    count = 50 * 1024 * 1024 // len(row) + 1
    data = ("Last Name,Email,Company,Phone,City,Country\n" + row * count).encode()
    assert len(data) > 50 * 1024 * 1024

    facts = sniff(io.BytesIO(data), "contacts.csv")
    job = new_job(manager, data)

    assert (facts.kind, facts.encoding) == ("csv", "utf-8")
    assert sum(1 for _ in read_rows(job)) == count
