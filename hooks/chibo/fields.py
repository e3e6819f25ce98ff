"""Front-matter values to typed values, one parser per kind of field (`Field.kind` in the
content model): the same messages for every content type that declares such a field.

A parser takes the field's declaration, its value as written (`MISSING` when the field is not there)
and the portal's settings, and returns the value and the problem in the editors' words (None
when there is none). Rules between fields (a title from the body's first line, a slug from
the title, a summary from the first paragraph) are the content type's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from .config import PortalConfig
from .errors import ContentError
from .limits import tags_problem
from .model import Field
from .ratings import carried_over
from .source import Source, read_source
from .text import TIMEZONE, clean_text, slugify

MISSING: Any = object()
DATE_FORMATS = "2023-11-30, 2023-11-30 08:30, 30/11/2023 hoặc 30/11/2023 08:30"
Parser = Callable[[Field, Any, PortalConfig], tuple[Any, str | None]]

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_VN = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:hg](\d{2}))?")


def parse_date(value: Any) -> tuple[datetime, bool] | None:
    """A Vietnamese-time datetime and whether a time was given; None if impossible."""
    text = str(value).strip()
    if m := _ISO.fullmatch(text):
        year, month, day, hour, minute, second = m.groups()
    elif m := _VN.fullmatch(text):
        day, month, year, hour, minute = m.groups()
        second = None
    else:
        return None
    try:
        parsed = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=TIMEZONE,
        )
    except ValueError:
        return None
    return parsed, hour is not None


def parse_fields(
    meta: dict[str, Any], fields: Iterable[Field], config: PortalConfig
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Each declared field's value, and the problems as (field name, message), in declaration order."""
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for f in fields:
        value, problem = PARSERS[f.kind](f, meta.get(f.name, MISSING), config)
        if problem is None and f.required == "có" and value in ("", (), None):
            problem = f'thiếu trường "{f.name}" ({f.label.lower()}). Hãy viết ví dụ {f.name}: {f.example}'
        values[f.name] = value
        if problem:
            problems.append((f.name, problem))
    return values, problems


def read_declared(
    where: str, raw: bytes, fields: Iterable[Field], config: PortalConfig
) -> tuple[Source, dict[str, Any], list[ContentError]] | list[ContentError]:
    """A content file read against its type's declared fields: its parts, each field's value and
    the fields' problems (file, line, message); or the problems that stop it from being read."""
    source = read_source(where, raw)
    if isinstance(source, list):
        return source
    values, problems = parse_fields(source.meta, fields, config)
    return source, values, [ContentError(where, source.line_of(name), message) for name, message in problems]


def _text(f: Field, value: Any, config: PortalConfig) -> tuple[str, str | None]:
    return (clean_text(str(value)).strip() if value is not MISSING and value is not None else ""), None


def _path(f: Field, value: Any, config: PortalConfig) -> tuple[str, str | None]:
    return (str(value or "").strip() if value is not MISSING else ""), None


def _date(f: Field, value: Any, config: PortalConfig) -> tuple[tuple[datetime, bool] | None, str | None]:
    name = f.name
    if value is MISSING or value is None or str(value).strip() == "":
        return None, (
            f'thiếu trường "{name}" ({f.label.lower()}). Hãy viết ví dụ {name}: 2023-11-30 (các dạng được nhận: {DATE_FORMATS}).'
        )
    parsed = parse_date(value)
    if parsed is None:
        return (
            None,
            f'trường "{name}": "{value}" không phải ngày có thật. Hãy viết theo một trong các dạng {DATE_FORMATS}.',
        )
    return parsed, None


def _category(f: Field, value: Any, config: PortalConfig) -> tuple[Any, str | None]:
    name = f.name
    if value is MISSING or value is None or not str(value).strip():
        return None, f'thiếu trường "{name}" (chuyên mục). Hãy viết một trong: {config.category_names}.'
    category = config.find_category(str(value))
    if category is None:
        return None, (
            f'trường "{name}": "{value}" không phải chuyên mục đã khai báo. Hãy viết một trong: {config.category_names}.'
        )
    return category, None


def _tags(f: Field, value: Any, config: PortalConfig) -> tuple[tuple[str, ...], str | None]:
    name = f.name
    items = [] if value is MISSING or not value else value
    if isinstance(items, str):
        items = items.split(",")
    if not isinstance(items, list):
        return (), f'trường "{name}" phải là danh sách, ví dụ {name}: [sinh hoạt chi bộ, học tập]'
    tags = tuple(dict.fromkeys(clean_text(str(t)).strip() for t in items if str(t).strip()))
    return tags, tags_problem(len(tags))


def _boolean(f: Field, value: Any, config: PortalConfig) -> tuple[bool, str | None]:
    name = f.name
    value = False if value is MISSING else value
    if not isinstance(value, bool):
        return False, f'trường "{name}": hãy viết true hoặc false, không phải "{value}"'
    return value, None


def _slug(f: Field, value: Any, config: PortalConfig) -> tuple[str | None, str | None]:
    name = f.name
    """The slug as written (None: not written, the content type makes one)."""
    if value is MISSING or value is None:
        return None, None
    slug = slugify(str(value))
    if not slug:
        return "", (
            f'trường "{name}": "{value}" không tạo được đường dẫn; hãy dùng chữ và số, ví dụ {name}: hoi-nghi-chi-bo'
        )
    return slug, None


def _rating(f: Field, value: Any, config: PortalConfig) -> tuple[Any, str | None]:
    name = f.name
    if value is MISSING or value is None:
        return None, None
    figures = carried_over(value)
    if figures is None:
        return None, (
            f'trường "{name}" phải có dạng {name}: {{sum: 43, count: 10}} (tổng số sao và số lượt, mỗi lượt 1 đến 5 sao)'
        )
    return figures, None


def _count(f: Field, value: Any, config: PortalConfig) -> tuple[int, str | None]:
    name = f.name
    value = 0 if value is MISSING else value
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        return 0, f'trường "{name}": cần một số nguyên không âm, không phải "{value}"'
    return value, None


def _day(f: Field, value: Any, config: PortalConfig) -> tuple[Any, str | None]:
    """An optional date (a document's `effective`, `expires`): None when not written."""
    if value is MISSING or value is None or str(value).strip() == "":
        return None, None
    return _date(f, value, config)


def _doctype(f: Field, value: Any, config: PortalConfig) -> tuple[str, str | None]:
    types = config.documents.types
    if value is MISSING or value is None or not str(value).strip():
        return "", f'thiếu trường "{f.name}" ({f.label.lower()}). Hãy viết một trong: {", ".join(types)}.'
    found = config.documents.find_type(clean_text(str(value)).strip())
    if found is None:
        return "", (
            f'trường "{f.name}": "{value}" không phải loại văn bản đã khai báo. Hãy viết một trong: '
            f"{', '.join(types)} (thêm loại mới trong mkdocs.yml, mục extra: portal: documents: types:)."
        )
    return found, None


def _texts(f: Field, value: Any, config: PortalConfig) -> tuple[tuple[str, ...], str | None]:
    """A list of short texts (a document's fields, the numbers it replaces, its files)."""
    items = [] if value is MISSING or value is None or value == "" else value
    if isinstance(items, str | int | float):
        items = [items]
    if not isinstance(items, list) or any(isinstance(i, dict | list) for i in items):
        return (), f'trường "{f.name}" phải là một giá trị hoặc danh sách, ví dụ {f.name}: {f.example}'
    texts = tuple(dict.fromkeys(clean_text(str(i)).strip() for i in items if str(i).strip()))
    return texts, tags_problem(len(texts))


PARSERS: dict[str, Parser] = {
    "text": _text,
    "path": _path,
    "date": _date,
    "category": _category,
    "tags": _tags,
    "boolean": _boolean,
    "slug": _slug,
    "rating": _rating,
    "count": _count,
    "day": _day,
    "doctype": _doctype,
    "texts": _texts,
}
