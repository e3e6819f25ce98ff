"""A content file as the portal reads it, whatever its type (articles now, documents next): its
text (NFC, control characters removed), its front matter as a dict, its body, and the line of
each field; or the problems that stop it from being read at all, each with file and line.

Refused before any parsing that could cost more than the file is worth: files over the size
limit, text that is not UTF-8, the shapes of text that exhaust Python-Markdown (`limits.py`),
YAML aliases (they expand without bound).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from .errors import ContentError
from .limits import body_problems, size_problem
from .text import clean_text

# libyaml's loader when present: front matter is read for every article on every build.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that leaves dates as written, so that one parser reads them all
    (and '2025-13-45' becomes our message, not a Python ValueError)."""


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


class _AliasRefused(yaml.YAMLError):
    """Front matter that uses a YAML alias (*name)."""

    def __init__(self, mark: Any) -> None:
        super().__init__("alias")
        self.problem_mark = mark


class _NoAliasLoader(yaml.SafeLoader):
    """The pure-Python SafeLoader that refuses aliases: nested aliases expand without bound
    (a few hundred bytes become millions of characters), and an article never needs one."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _AliasRefused(self.peek_event().start_mark)
        return super().compose_node(parent, index)


_NoAliasLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


class _Handler(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        # An alias starts with "*": only then is the slower, alias-refusing loader needed.
        loader = _NoAliasLoader if "*" in fm else _Loader
        return yaml.load(fm, Loader=loader)  # noqa: S506 - SafeLoader subclasses


FRONT_MATTER = _Handler()


@dataclass(frozen=True)
class Source:
    """One content file, read."""

    where: str  # the file as the editor sees it: "docs/bai-viet/2023/bai.md"
    text: str  # the whole file
    meta: dict[str, Any]  # the front matter
    body: str  # what follows it, leading blank lines dropped
    lines: dict[str, int] = field(default_factory=dict)  # field name -> its line in the file

    def line_of(self, name: str) -> int:
        return self.lines.get(name, 1)


def read_source(where: str, raw: bytes) -> Source | list[ContentError]:
    """The file's parts, or the one problem that stops it from being read."""
    if (too_big := size_problem(raw)) is not None:
        return [ContentError(where, 1, too_big)]
    try:
        text = clean_text(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return [ContentError(where, 1, "tệp không phải văn bản UTF-8; hãy lưu lại tệp với bảng mã UTF-8")]
    text = text.replace("\r\n", "\n")
    if costly := body_problems(text):  # before Python-Markdown or any pattern spends time on it
        return [ContentError(where, text.count("\n", 0, at) + 1, message) for at, message in costly]
    if not FRONT_MATTER.detect(text):
        return Source(where, text, {}, text.lstrip("\n"))
    opening = FRONT_MATTER.FM_BOUNDARY.match(text)
    first_line = text.count("\n", 0, opening.end()) + 1 if opening else 1  # where the front matter starts
    try:
        front, body = FRONT_MATTER.split(text)
    except ValueError:
        return [ContentError(where, 1, 'phần đầu (front matter) mở bằng "---" nhưng không có dòng "---" đóng lại')]
    loaded = _load(where, front, first_line)
    if isinstance(loaded, ContentError):
        return [loaded]
    return Source(where, text, loaded, body.lstrip("\n"), _field_lines(front, first_line))


def _load(where: str, front: str, first_line: int) -> dict[str, Any] | ContentError:
    try:
        loaded = FRONT_MATTER.load(front)
    except _AliasRefused as exc:
        return ContentError(
            where,
            exc.problem_mark.line + first_line,
            "phần đầu (front matter) dùng tham chiếu YAML (dấu * trước một tên, ví dụ *a); cổng không nhận "
            "tham chiếu. Hãy viết thẳng giá trị; giá trị bắt đầu bằng dấu * thì đặt trong ngoặc kép, "
            'ví dụ title: "*Quan trọng* thông báo".',
        )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        return ContentError(
            where,
            mark.line + first_line if mark else 1,
            f"phần đầu (front matter) không đọc được ({reason}). Mỗi dòng phải có dạng "
            '"tên: giá trị"; tiêu đề có dấu hai chấm thì đặt trong ngoặc kép, ví dụ '
            'title: "Thông báo: lịch họp".',
        )
    if loaded is not None and not isinstance(loaded, dict):
        return ContentError(where, 2, 'phần đầu (front matter) phải gồm các dòng "tên: giá trị"')
    return loaded or {}


def _field_lines(front: str, first_line: int) -> dict[str, int]:
    """Line in the file of each top-level field; `front` starts on `first_line`."""
    lines: dict[str, int] = {}
    for number, line in enumerate(front.split("\n"), start=first_line):
        if m := re.match(r"([A-Za-z_]+)\s*:", line):
            lines.setdefault(m.group(1), number)
    return lines


def markdown_body(text: str) -> str:
    """The Markdown that follows a content file's front matter: NFC, leading blank lines dropped."""
    text = clean_text(text).replace("\r\n", "\n")
    if FRONT_MATTER.detect(text):
        text = FRONT_MATTER.split(text)[1]
    return text.lstrip("\n")
