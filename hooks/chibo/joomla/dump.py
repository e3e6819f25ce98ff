"""A MySQL/MariaDB dump read without a server: the tables' columns and rows.

Both styles Joomla sites are exported in: `mysqldump`/`mariadb-dump` (column names only in
CREATE TABLE, multi-row INSERTs without a column list) and phpMyAdmin or `--complete-insert`
(a column list on every INSERT, a row per line). Strings use backslash escapes (`\\'`, `\\n`,
`\\\\`) or doubled quotes. Only the tables asked for are kept; the others are skipped with
the same scanner, so a dump costs one pass over its text and its size in memory.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Value = str | int | float | None

# a statement that matters starts a line; everything else (comments, SET, LOCK) is passed over
_STATEMENT = re.compile(r"^(?:INSERT(?:\s+IGNORE)?\s+INTO|REPLACE\s+INTO|CREATE\s+TABLE(?:\s+IF\s+NOT\s+EXISTS)?)\s+"
                        r"`?([^`\s(]+)`?\s*", re.M | re.I)  # fmt: skip
_COLUMN = re.compile(r"^\s*`([^`]+)`\s+\w", re.M)
_CREATE_END = re.compile(r"^\)[^;]*;", re.M)
_COLUMNS = re.compile(r"\(([^)]*)\)\s*VALUES\s*", re.I | re.A)
_VALUES = re.compile(r"VALUES\s*", re.I)
# one value and what follows it; the string pattern is "unrolled" (no per-character alternation)
_VALUE = re.compile(
    r"\s*(?:'([^'\\]*(?:(?:\\.|'')[^'\\]*)*)'|(NULL)|(-?\d+)(?![.\deE])|(-?[\d.]+(?:[eE][-+]?\d+)?)"
    r"|0x([0-9A-Fa-f]*)|_binary\s*'([^'\\]*(?:(?:\\.|'')[^'\\]*)*)')\s*([,)])",
    re.S,
)
_ROW_START = re.compile(r"\s*\(")
_ROW_NEXT = re.compile(r"\s*([,;])", re.S)
_ESCAPE = re.compile(r"\\(.)|''", re.S)
_ESCAPES = {"0": "\0", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "Z": "\x1a"}


class DumpError(ValueError):
    """The dump cannot be read at `line`: said in Vietnamese, with what to do."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"dòng {line}: {message}")
        self.line = line


@dataclass
class Table:
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Value]] = field(default_factory=list)


def _unescape(text: str) -> str:
    if "\\" not in text and "''" not in text:
        return text
    return _ESCAPE.sub(lambda m: "'" if m.group(1) is None else _ESCAPES.get(m.group(1), m.group(1)), text)


def _value(m: re.Match[str]) -> Value:
    text, _null, whole, real, hexa, binary, _ = m.groups()
    if text is not None:
        return _unescape(text)
    if whole is not None:
        return int(whole)
    if real is not None:
        return float(real)
    if hexa is not None:
        return bytes.fromhex(hexa).decode("utf-8", "replace")
    if binary is not None:
        return _unescape(binary)
    return None


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _rows(text: str, pos: int) -> tuple[list[list[Value]], int]:
    """The rows of one INSERT's VALUES from `pos`, and where the statement ends."""
    rows: list[list[Value]] = []
    while True:
        start = _ROW_START.match(text, pos)
        if start is None:
            raise DumpError(_line(text, pos), "cần một dòng dữ liệu bắt đầu bằng «(»; tệp sao lưu bị cắt hoặc hỏng")
        pos, row = start.end(), []
        while True:
            m = _VALUE.match(text, pos)
            if m is None:
                raise DumpError(_line(text, pos), "không đọc được giá trị; tệp sao lưu bị cắt hoặc hỏng")
            row.append(_value(m))
            pos = m.end()
            if m.group(7) == ")":
                break
        rows.append(row)
        after = _ROW_NEXT.match(text, pos)
        if after is None:
            raise DumpError(_line(text, pos), "sau một dòng dữ liệu cần «,» hoặc «;»")
        pos = after.end()
        if after.group(1) == ";":
            return rows, pos


def _insert(text: str, pos: int, table: Table | None) -> int:
    """Read one INSERT from `pos` into `table` (None: a table the import does not read)."""
    columns = _COLUMNS.match(text, pos)
    if columns is not None:
        names = [c.strip().strip("`") for c in columns.group(1).split(",")]
        pos = columns.end()
    else:
        values = _VALUES.match(text, pos)
        if values is None:
            raise DumpError(_line(text, pos), "câu INSERT không có VALUES")
        names, pos = (table.columns if table else []), values.end()
    rows, pos = _rows(text, pos)
    if table is None:
        return pos
    if not names:
        raise DumpError(_line(text, pos), "INSERT không ghi tên cột và tệp không có CREATE TABLE của bảng này")
    for row in rows:
        if len(row) != len(names):
            raise DumpError(_line(text, pos), f"một dòng có {len(row)} giá trị nhưng bảng có {len(names)} cột")
        table.rows.append(dict(zip(names, row, strict=True)))
    return pos


def read_text(
    text: str, wanted: Callable[[str], bool], progress: Callable[[int, int], None] | None = None
) -> dict[str, Table]:
    """The tables of a dump whose names `wanted` accepts."""
    tables: dict[str, Table] = {}
    pos, total = 0, len(text)
    while (m := _STATEMENT.search(text, pos)) is not None:
        name, pos = m.group(1), m.end()
        keep = wanted(name)
        if m.group(0).upper().startswith("CREATE"):
            end = _CREATE_END.search(text, pos)
            if end is None:
                raise DumpError(_line(text, pos), f"CREATE TABLE {name} không có dòng kết thúc «);»")
            if keep:
                tables.setdefault(name, Table()).columns = _COLUMN.findall(text, pos, end.start())
            pos = end.end()
        else:
            pos = _insert(text, pos, tables.setdefault(name, Table()) if keep else None)
        if progress is not None:
            progress(pos, total)
    if progress is not None:
        progress(total, total)
    return tables


def read_dump(
    path: Path, wanted: Callable[[str], bool], progress: Callable[[int, int], None] | None = None
) -> dict[str, Table]:
    """A `.sql` or `.sql.gz` file (UTF-8, as Joomla's utf8mb4 tables are dumped)."""
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    return read_text(raw.decode("utf-8", "replace"), wanted, progress)
