"""Reading an import file: what kind of file it is, its columns, and its rows as lists of text cells.

CSV files are read line by line and decoded one line at a time, so that a 100 MB file never sits in memory and
text that is not valid in the chosen encoding is reported with its row. Excel workbooks are read with openpyxl's
read-only mode, formulas as their text: a cell is never evaluated. Rows are numbered as a spreadsheet numbers
them (the header is row 1), which is also the line in the file unless a quoted value spans several lines.
Rows whose cells are all empty are left out; they still count in the numbering."""

import codecs
import csv
import datetime
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from openpyxl import load_workbook

XLSX_SIGNATURE = b"PK\x03\x04"
XLS_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the Excel 97-2003 (and Word) container
SAMPLE_BYTES = 64 * 1024
DECODE_CHUNK_BYTES = 1024 * 1024
DELIMITERS = (",", ";")
# Control characters that text files do not hold (tab, line feed, form feed and carriage return are fine).
BINARY_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})


class UnreadableFile(Exception):
    """The file cannot be read as an import; ``str(error)`` tells the user why and what to do."""


@dataclass(frozen=True)
class FileFacts:
    """What ``sniff`` found: "csv" or "xlsx", and for a CSV file its encoding and delimiter."""

    kind: str
    encoding: str = "utf-8"
    delimiter: str = ","


def sniff(file, file_name: str) -> FileFacts:
    """The kind, encoding and delimiter of an uploaded file (any binary file object; left rewound). Raises
    UnreadableFile for an empty file, an old .xls workbook or any other binary file, whatever its name."""
    file.seek(0)
    head = file.read(SAMPLE_BYTES)
    file.seek(0)
    name = file_name.lower()
    if not head:
        raise UnreadableFile("This file is empty.")
    if head.startswith(XLSX_SIGNATURE):
        _check_workbook(file)
        return FileFacts("xlsx")
    if head.startswith(XLS_SIGNATURE):
        raise UnreadableFile(
            "This is an Excel 97-2003 (.xls) workbook: open it in Excel, save it as .xlsx or as CSV and upload that."
        )
    if name.endswith(".xlsx"):
        raise UnreadableFile("This file is not an Excel workbook, although its name ends in .xlsx.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile(
            'This file is UTF-16 text (Excel\'s "Unicode Text"): save it as "CSV UTF-8" and upload that.'
        )
    if _looks_binary(head):
        raise UnreadableFile(
            "This file is not text: it looks like a picture, a PDF or a program. "
            "Save your data as CSV (comma or semicolon separated) or as an Excel workbook (.xlsx) and upload that."
        )
    encoding = "utf-8" if _is_utf8(file) else "iso-8859-1"
    file.seek(0)
    return FileFacts("csv", encoding, _delimiter(head.decode(encoding, errors="replace")))


def _check_workbook(file) -> None:
    """A ZIP archive is an Excel workbook only if it holds one (a .docx or a .zip is not)."""
    try:
        with zipfile.ZipFile(file) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise UnreadableFile("This file is a ZIP archive, not an Excel workbook or a CSV file.")
    except zipfile.BadZipFile as error:
        raise UnreadableFile("This Excel workbook is damaged: open it in Excel and save it again.") from error
    finally:
        file.seek(0)


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    control = len(head) - len(head.translate(None, BINARY_BYTES))
    return control > len(head) // 100


def _is_utf8(file) -> bool:
    """Whether the whole file is valid UTF-8 (read in chunks; a BOM is valid UTF-8 too)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := file.read(DECODE_CHUNK_BYTES):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _delimiter(sample: str) -> str:
    """The delimiter that splits the first row into the most columns (a comma when none splits it)."""
    lines = sample.lstrip("\ufeff").splitlines()[:1] or [""]
    counts = {delimiter: len(next(csv.reader(lines, delimiter=delimiter), [])) for delimiter in DELIMITERS}
    return max(DELIMITERS, key=lambda delimiter: counts[delimiter])


def file_columns(job) -> list[str]:
    """The job's columns: the header's cells (an empty one named by its position), or "Column 1", "Column 2"...
    when the file has no header, as many as the first row has cells."""
    first = next(_records(job), None)
    if first is None:
        return []
    _, cells = first
    if not job.has_header:
        return [f"Column {index}" for index in range(1, len(cells) + 1)]
    return [cell.strip() or f"Column {index}" for index, cell in enumerate(cells, start=1)]


def sample_rows(job, count: int = 3) -> list[list[str]]:
    """The first ``count`` data rows, for the mapping page."""
    return [cells for _, cells in islice(read_rows(job), count)]


def read_rows(job) -> Iterator[tuple[int, list[str]]]:
    """Every data row as (row number, cells), after the header if the file has one. Raises UnreadableFile
    (naming the row) when text is not valid in the job's encoding."""
    records = _records(job)
    if job.has_header:
        next(records, None)
    for number, cells in records:
        if any(cell.strip() for cell in cells):
            yield number, cells


def _records(job) -> Iterator[tuple[int, list[str]]]:
    with job.file.open("rb") as file:
        if job.file_kind == "xlsx":
            yield from _workbook_records(file)
        else:
            yield from _csv_records(file, job.encoding, job.delimiter)


def _csv_records(file, encoding: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(_decoded_lines(file, encoding), delimiter=delimiter)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError as error:
            raise UnreadableFile(
                f"Row {number + 1} is not valid {encoding.upper()} text: choose the file's encoding "
                "(files saved by older Windows programs are usually ISO-8859-1) and try again."
            ) from error
        except csv.Error as error:
            raise UnreadableFile(f"Row {number + 1} cannot be read as CSV: {error}.") from error
        number += 1
        yield number, cells


def _decoded_lines(file, encoding: str) -> Iterator[str]:
    """The file's lines as text, decoded one at a time so that an error belongs to the row being read; a UTF-8
    byte order mark is dropped. (Django's File splits lines on LF, CRLF and CR, bytes that mean the same in
    both encodings an import reads.)"""
    lines = iter(file)
    first = next(lines, None)
    if first is None:
        return
    if codecs.lookup(encoding).name == "utf-8" and first.startswith(codecs.BOM_UTF8):
        first = first[len(codecs.BOM_UTF8) :]
    yield first.decode(encoding)
    for line in lines:
        yield line.decode(encoding)


def _workbook_records(file) -> Iterator[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(file, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds of error for a damaged workbook
        raise UnreadableFile("This Excel workbook cannot be read: open it in Excel and save it again.") from error
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            while cells and cells[-1] == "":  # read-only sheets pad every row to the widest one
                cells.pop()
            yield number, cells
    finally:
        workbook.close()


def _cell_text(value) -> str:
    """An Excel cell as the text a CSV file would hold: dates as yyyy-mm-dd (with the time if it has one),
    whole numbers without a decimal point, checkboxes as 1/0, formulas as their text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == datetime.time() else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)
