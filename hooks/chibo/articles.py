"""Read stage: one Markdown file under docs/bai-viet/ -> one immutable Article.

Every problem is reported with the file, the line, the field and what to
write instead. Nothing downstream reads front matter again.
"""

from __future__ import annotations

import hashlib
import html
import pickle
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from .addresses import ARTICLES
from .cache import atomic_write
from .config import Category, PortalConfig
from .errors import ContentError
from .limits import body_problems, size_problem, tags_problem
from .links import image_targets, link_targets
from .model import BOOLEAN_FIELDS
from .ratings import Figures, carried_over
from .text import TIMEZONE, clean_text, slugify

ARTICLES_DIR = ARTICLES
DATE_FORMATS = "2023-11-30, 2023-11-30 08:30, 30/11/2023 hoặc 30/11/2023 08:30"
# What `chibo new` puts in the body; left in place it would be published as the summary.
PLACEHOLDER = "Viết nội dung bài ở đây."


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
class Article:
    src_path: str  # relative to docs/, with forward slashes
    title: str
    date: datetime  # aware, Asia/Ho_Chi_Minh
    has_time: bool
    category: Category
    slug: str
    summary: str
    author: str = ""
    image: str = ""
    image_caption: str = ""
    image_alt: str = ""  # what a screen reader says for the featured image
    tags: tuple[str, ...] = ()
    draft: bool = False
    pin: bool = False
    title_from_h1: bool = False  # the body's first line is the headline
    image_line: int = 1  # where "image:" stands, for errors found later
    date_line: int = 1
    scheduled: bool = False  # the editor confirms a date more than a year ahead
    text: str = ""  # the body as plain text, for full-text search
    links: tuple[str, ...] = ()  # link and image targets in the body, as written
    images: tuple[str, ...] = ()  # the targets shown as images
    content_hash: str = ""
    old_rating: Figures | None = None  # `rating:` carried over from the old site
    old_hits: int = 0  # `hits:` of the old site

    @cached_property
    def url(self) -> str:
        """Independent of the category, so moving an article keeps its link."""
        return f"{ARTICLES}{self.date:%Y}/{self.date:%m}/{self.slug}/"

    @cached_property
    def dest_path(self) -> str:
        return f"{self.url}index.html"

    def is_published(self, now: datetime) -> bool:
        return not self.draft and self.date <= now


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


_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_MD_MARK = re.compile(r"[*_`~]+|<[^<>]+>")
_BLOCK_START = re.compile(r"^\s*(#|[-*+] |\d+[.)] |!\[|\||>|<|```|~~~|    )")


def first_paragraph(body: str, limit: int = 300) -> str:
    """Plain text of the first prose paragraph, for listings and previews."""
    for block in re.split(r"\n\s*\n", body):
        if not block.strip() or _BLOCK_START.match(block):
            continue
        text = " ".join(_MD_MARK.sub("", _MD_LINK.sub(r"\1", block)).split())
        if len(text) > limit:
            text = text[:limit].rsplit(" ", 1)[0] + " …"
        return text
    return ""


# What a reader never sees as text: comments, scripts and styles pasted from a web page.
_HIDDEN_START = re.compile(r"<!--|<(script|style)\b", re.IGNORECASE)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S.*$", re.MULTILINE)
_ATTRIBUTES = re.compile(r"\{:?[ \t]*[.#][^{}\n]*\}")
_LINE_MARK = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+|(?:```|~~~).*$|[-*_=|: \t]{3,}$)", re.MULTILINE
)
_REFERENCE_LINK = re.compile(r"!?\[([^\[\]]*)\]\[[^\[\]]*\]")


_TAG = re.compile(r"<[^<>]+>")


def _without_hidden(text: str) -> str:
    """`text` without comments, scripts and styles, in linear time: each closing mark is looked
    for once, and an opening whose closing is nowhere ahead stays as it is."""
    lowered = text.lower()
    out, at = [], 0
    missing: set[str] = set()
    for match in _HIDDEN_START.finditer(text):
        if match.start() < at:
            continue
        closing = "-->" if match.group() == "<!--" else f"</{match.group(1).lower()}"
        end = -1 if closing in missing else lowered.find(closing, match.end())
        if end < 0:
            missing.add(closing)
            continue
        end = end + 3 if closing == "-->" else lowered.find(">", end) + 1
        if end <= 0:
            missing.add(closing)
            continue
        out += [text[at : match.start()], " "]
        at = end
    out.append(text[at:])
    return "".join(out)


_EMPHASIS = re.compile(r"[*_`~|]+")


def plain_text(body: str) -> str:
    """What a reader reads in a Markdown body, as one line of text: for full-text search and its
    excerpts. Link and image text stay, addresses and markup go; HTML entities are decoded.
    Each pattern runs only where its mark is in the text (most bodies have few)."""
    text = body
    if "<" in text:
        text = _without_hidden(text)
    if "[" in text:
        text = _REFERENCE.sub(" ", text)
        text = _MD_LINK.sub(r"\1", text)
        text = _REFERENCE_LINK.sub(r"\1", text)
    if "{" in text:
        text = _ATTRIBUTES.sub(" ", text)
    text = _LINE_MARK.sub(" ", text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    text = _EMPHASIS.sub(" ", text)
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


def _field_lines(front: str, first_line: int) -> dict[str, int]:
    """Line in the file of each top-level field; `front` starts on `first_line`."""
    lines: dict[str, int] = {}
    for number, line in enumerate(front.split("\n"), start=first_line):
        if m := re.match(r"([A-Za-z_]+)\s*:", line):
            lines.setdefault(m.group(1), number)
    return lines


def _bool(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def read_article(
    src_path: str, raw: bytes, config: PortalConfig, display_root: str = "docs"
) -> Article | list[ContentError]:
    """Parse one article; return it, or every problem found in it."""
    shown = f"{display_root}/{src_path}" if display_root else src_path
    errors: list[ContentError] = []

    def problem(line: int, message: str) -> None:
        errors.append(ContentError(shown, line, message))

    if (too_big := size_problem(raw)) is not None:
        return [ContentError(shown, 1, too_big)]
    try:
        text = clean_text(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return [ContentError(shown, 1, "tệp không phải văn bản UTF-8; hãy lưu lại tệp với bảng mã UTF-8")]
    text = text.replace("\r\n", "\n")
    if costly := body_problems(text):  # before Python-Markdown or any pattern spends time on it
        return [ContentError(shown, text.count("\n", 0, at) + 1, message) for at, message in costly]

    meta: dict[str, Any] = {}
    front, body = "", text
    first_line = 1  # of the front matter text, which starts at the end of the "---" line
    if FRONT_MATTER.detect(text):
        opening = FRONT_MATTER.FM_BOUNDARY.match(text)
        first_line = text.count("\n", 0, opening.end()) + 1 if opening else 1
        try:
            front, body = FRONT_MATTER.split(text)
        except ValueError:
            return [ContentError(shown, 1, 'phần đầu (front matter) mở bằng "---" nhưng không có dòng "---" đóng lại')]
        try:
            loaded = FRONT_MATTER.load(front)
        except _AliasRefused as exc:
            return [
                ContentError(
                    shown,
                    exc.problem_mark.line + first_line,
                    "phần đầu (front matter) dùng tham chiếu YAML (dấu * trước một tên, ví dụ *a); cổng không nhận "
                    "tham chiếu. Hãy viết thẳng giá trị; giá trị bắt đầu bằng dấu * thì đặt trong ngoặc kép, "
                    'ví dụ title: "*Quan trọng* thông báo".',
                )
            ]
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + first_line if mark else 1
            reason = getattr(exc, "problem", None) or str(exc)
            return [
                ContentError(
                    shown,
                    line,
                    f"phần đầu (front matter) không đọc được ({reason}). Mỗi dòng phải có dạng "
                    '"tên: giá trị"; tiêu đề có dấu hai chấm thì đặt trong ngoặc kép, ví dụ '
                    'title: "Thông báo: lịch họp".',
                )
            ]
        if loaded is not None and not isinstance(loaded, dict):
            return [ContentError(shown, 2, 'phần đầu (front matter) phải gồm các dòng "tên: giá trị"')]
        meta = loaded or {}
    lines = _field_lines(front, first_line)

    def line_of(name: str) -> int:
        return lines.get(name, 1)

    body = body.lstrip("\n")
    title = clean_text(str(meta["title"])).strip() if meta.get("title") is not None else ""
    title_from_h1 = False
    if not title and (m := re.match(r"#\s+(.+?)\s*#*\s*(?:\n|$)", body)):
        title, title_from_h1 = m.group(1).strip(), True
    if not title:
        problem(
            1,
            'thiếu trường "title" (tiêu đề). Hãy thêm dòng title: Tiêu đề bài viết '
            'vào phần đầu, hoặc bắt đầu nội dung bằng dòng "# Tiêu đề bài viết".',
        )

    date_value = meta.get("date")
    parsed = None
    if date_value is None or str(date_value).strip() == "":
        problem(
            line_of("date"),
            f'thiếu trường "date" (ngày đăng). Hãy viết ví dụ date: 2023-11-30 (các dạng được nhận: {DATE_FORMATS}).',
        )
    elif (parsed := parse_date(date_value)) is None:
        problem(
            line_of("date"),
            f'trường "date": "{date_value}" không phải ngày có thật. Hãy viết theo một trong các dạng {DATE_FORMATS}.',
        )

    category_value = meta.get("category")
    category = config.find_category(str(category_value)) if category_value is not None else None
    if category_value is None or not str(category_value).strip():
        problem(
            line_of("category"), f'thiếu trường "category" (chuyên mục). Hãy viết một trong: {config.category_names}.'
        )
    elif category is None:
        problem(
            line_of("category"),
            f'trường "category": "{category_value}" không phải chuyên mục đã khai báo. Hãy viết một trong: {config.category_names}.',
        )

    tags_value = meta.get("tags") or []
    if isinstance(tags_value, str):
        tags_value = [t for t in tags_value.split(",")]
    if not isinstance(tags_value, list):
        problem(line_of("tags"), 'trường "tags" phải là danh sách, ví dụ tags: [sinh hoạt chi bộ, học tập]')
        tags_value = []
    tags = tuple(dict.fromkeys(clean_text(str(t)).strip() for t in tags_value if str(t).strip()))
    if (too_many := tags_problem(len(tags))) is not None:
        problem(line_of("tags"), too_many)

    flags: dict[str, bool] = {}
    for name in BOOLEAN_FIELDS:
        value = meta.get(name, False)
        if _bool(value) is None:
            problem(line_of(name), f'trường "{name}": hãy viết true hoặc false, không phải "{value}"')
        flags[name] = bool(value) if _bool(value) is not None else False

    slug_value = meta.get("slug")
    slug = slugify(str(slug_value)) if slug_value is not None else slugify(title)
    if slug_value is not None and not slug:
        problem(
            line_of("slug"),
            f'trường "slug": "{slug_value}" không tạo được đường dẫn; hãy dùng chữ và số, ví dụ slug: hoi-nghi-chi-bo',
        )
    elif title and not slug:
        problem(1, "tiêu đề không có chữ hay số nào để tạo đường dẫn; hãy thêm trường slug, ví dụ slug: bai-viet-moi")

    old_rating = carried_over(meta["rating"]) if meta.get("rating") is not None else None
    if meta.get("rating") is not None and old_rating is None:
        problem(
            line_of("rating"),
            'trường "rating" phải có dạng rating: {sum: 43, count: 10} (tổng số sao và số lượt, mỗi lượt 1 đến 5 sao)',
        )
    old_hits = meta.get("hits", 0)
    if not isinstance(old_hits, int) or isinstance(old_hits, bool) or old_hits < 0:
        problem(line_of("hits"), f'trường "hits": cần một số nguyên không âm, không phải "{old_hits}"')
        old_hits = 0

    if PLACEHOLDER in body and not flags["draft"]:
        line = text.count("\n", 0, text.index(PLACEHOLDER)) + 1
        problem(
            line,
            f'nội dung bài vẫn là dòng mẫu "{PLACEHOLDER}" do lệnh chibo new tạo ra; '
            "hãy thay dòng này bằng nội dung thật của bài (hoặc đặt draft: true nếu bài chưa xong).",
        )
    if errors or parsed is None or category is None:
        return errors
    summary_value = meta.get("summary")
    # what follows the headline when the body's first line is the headline
    prose = body.split("\n", 1)[1] if title_from_h1 and "\n" in body else ("" if title_from_h1 else body)
    summary = clean_text(str(summary_value)).strip() if summary_value else first_paragraph(prose)
    return Article(
        src_path=src_path,
        title=title,
        date=parsed[0],
        has_time=parsed[1],
        category=category,
        slug=slug,
        summary=summary,
        author=clean_text(str(meta.get("author") or "")).strip(),
        image=str(meta.get("image") or "").strip(),
        image_caption=clean_text(str(meta.get("image_caption") or "")).strip(),
        image_alt=clean_text(str(meta.get("image_alt") or meta.get("image_caption") or "")).strip() or title,
        tags=tags,
        draft=flags["draft"],
        pin=flags["pin"],
        title_from_h1=title_from_h1,
        image_line=line_of("image"),
        date_line=line_of("date"),
        scheduled=flags["scheduled"],
        text=plain_text(prose),
        links=link_targets(body),
        images=image_targets(body),
        content_hash=hashlib.sha1(raw).hexdigest(),
        old_rating=old_rating,
        old_hits=old_hits,
    )


def article_body(raw: bytes, article: Article) -> str:
    """The Markdown body of an article's file: NFC, without front matter or the headline line."""
    text = clean_text(raw.decode("utf-8-sig")).replace("\r\n", "\n")
    if FRONT_MATTER.detect(text):
        text = FRONT_MATTER.split(text)[1]
    text = text.lstrip("\n")
    if article.title_from_h1:
        text = re.sub(r"\A#\s+[^\n]*\n?", "", text, count=1)
    return text


class ArticleReader:
    """Reads articles, keeping each result until the file's content changes.

    `mkdocs serve` rebuilds everything on each save; this keeps the read stage of unchanged
    articles to one hash per file. `load` and `save` keep the results in the cache folder
    between publishing builds (a warm build reads only the articles that changed).
    """

    def __init__(self) -> None:
        self._cache: dict[str, tuple[str, tuple[str, ...], Article | list[ContentError]]] = {}

    def read(self, src_path: str, raw: bytes, config: PortalConfig) -> tuple[str, Article | list[ContentError], bool]:
        """(the content's digest, the result, whether the file was read now rather than kept).
        Does not remember a new result: a forked worker calls this, its parent `remember`s."""
        digest = hashlib.sha1(raw).hexdigest()
        known = self.known(src_path, digest, config)
        if known is not None:
            return digest, known, False
        return digest, read_article(src_path, raw, config), True

    def load(self, path: Path) -> None:
        """Results an earlier build kept (ignored when unreadable or from another version)."""
        try:
            with open(path, "rb") as f:
                version, entries = pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
            return
        if version == _CACHE_VERSION and isinstance(entries, dict):
            self._cache.update(entries)

    def save(self, path: Path, keep: Iterable[str]) -> None:
        """Keep the results of the articles of this build (`keep`), for the next one."""
        entries = {src: self._cache[src] for src in keep if src in self._cache}
        atomic_write(path, pickle.dumps((_CACHE_VERSION, entries), protocol=pickle.HIGHEST_PROTOCOL))

    def remember(self, src_path: str, digest: str, config: PortalConfig, result: Article | list[ContentError]) -> None:
        self._cache[src_path] = (digest, config.cache_key, result)

    def known(self, src_path: str, digest: str, config: PortalConfig) -> Article | list[ContentError] | None:
        cached = self._cache.get(src_path)
        return cached[2] if cached and cached[0] == digest and cached[1] == config.cache_key else None


# Part of the kept results' file: a change to Article or to the reading rules makes a new one.
_CACHE_VERSION = hashlib.sha1(repr(sorted(Article.__dataclass_fields__)).encode()).hexdigest() + "-1"
