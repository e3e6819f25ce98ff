"""Read stage: one Markdown file under docs/bai-viet/ -> one immutable Article.

Every problem is reported with the file, the line, the field and what to
write instead. Nothing downstream reads front matter again.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from .addresses import ARTICLES
from .cache import keep, load_kept
from .config import Category, PortalConfig
from .errors import ContentError
from .fields import read_declared
from .links import image_targets, link_targets
from .model import ARTICLE_FIELDS
from .ratings import Figures
from .source import Source, markdown_body
from .text import slugify

ARTICLES_DIR = ARTICLES
# What `chibo new` puts in the body; left in place it would be published as the summary.
PLACEHOLDER = "Viết nội dung bài ở đây."


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


def read_article(
    src_path: str, raw: bytes, config: PortalConfig, display_root: str = "docs"
) -> Article | list[ContentError]:
    """Parse one article; return it, or every problem found in it."""
    read = read_declared(f"{display_root}/{src_path}" if display_root else src_path, raw, ARTICLE_FIELDS, config)
    if isinstance(read, list):
        return read
    source, values, errors = read
    title, title_from_h1 = _headline(values["title"], source.body)
    slug = values["slug"] if values["slug"] is not None else slugify(title)
    errors += [
        ContentError(source.where, line, message) for line, message in _article_rules(source, values, title, slug)
    ]
    if errors:
        return sorted(errors)  # in the file's order
    return _article(src_path, raw, source, values, title, title_from_h1, slug)


def _headline(title: str, body: str) -> tuple[str, bool]:
    """The title, or the body's first line when it is "# Tiêu đề" and no title is written."""
    if not title and (m := re.match(r"#\s+(.+?)\s*#*\s*(?:\n|$)", body)):
        return m.group(1).strip(), True
    return title, False


def _article_rules(source: Source, values: dict[str, Any], title: str, slug: str) -> list[tuple[int, str]]:
    """What an article needs beyond each field on its own: (line, message)."""
    out = []
    if not title:
        out.append(
            (
                1,
                'thiếu trường "title" (tiêu đề). Hãy thêm dòng title: Tiêu đề bài viết '
                'vào phần đầu, hoặc bắt đầu nội dung bằng dòng "# Tiêu đề bài viết".',
            )
        )
    elif not slug and values["slug"] is None:
        out.append(
            (1, "tiêu đề không có chữ hay số nào để tạo đường dẫn; hãy thêm trường slug, ví dụ slug: bai-viet-moi")
        )
    if PLACEHOLDER in source.body and not values["draft"]:
        out.append(
            (
                source.text.count("\n", 0, source.text.index(PLACEHOLDER)) + 1,
                f'nội dung bài vẫn là dòng mẫu "{PLACEHOLDER}" do lệnh chibo new tạo ra; '
                "hãy thay dòng này bằng nội dung thật của bài (hoặc đặt draft: true nếu bài chưa xong).",
            )
        )
    return out


def _article(
    src_path: str, raw: bytes, source: Source, values: dict[str, Any], title: str, title_from_h1: bool, slug: str
) -> Article:
    body = source.body
    # what follows the headline when the body's first line is the headline
    prose = body.split("\n", 1)[1] if title_from_h1 and "\n" in body else ("" if title_from_h1 else body)
    date, has_time = values["date"]
    return Article(
        src_path=src_path,
        title=title,
        date=date,
        has_time=has_time,
        category=values["category"],
        slug=slug,
        summary=values["summary"] or first_paragraph(prose),
        author=values["author"],
        image=values["image"],
        image_caption=values["image_caption"],
        image_alt=values["image_alt"] or values["image_caption"] or title,
        tags=values["tags"],
        draft=values["draft"],
        pin=values["pin"],
        title_from_h1=title_from_h1,
        image_line=source.line_of("image"),
        date_line=source.line_of("date"),
        scheduled=values["scheduled"],
        text=plain_text(prose),
        links=link_targets(body),
        images=image_targets(body),
        content_hash=hashlib.sha1(raw).hexdigest(),
        old_rating=values["rating"],
        old_hits=values["hits"],
    )


def article_body(raw: bytes, article: Article) -> str:
    """The Markdown body of an article's file: NFC, without front matter or the headline line."""
    text = markdown_body(raw.decode("utf-8-sig"))
    if article.title_from_h1:
        text = re.sub(r"\A#\s+[^\n]*\n?", "", text, count=1)
    return text


class ContentReader:
    """Reads content files of one type (articles: `read_article`; documents: `read_document`),
    keeping each result until the file's content changes.

    `mkdocs serve` rebuilds everything on each save; this keeps the read stage of unchanged
    articles to one hash per file. `load` and `save` keep the results in the cache folder
    between publishing builds (a warm build reads only the articles that changed).
    """

    def __init__(self, read: Callable[[str, bytes, PortalConfig], Any] | None = None, version: str = "") -> None:
        self._read = read or read_article
        self._version = _CACHE_VERSION + version
        self._cache: dict[str, tuple[str, tuple[str, ...], Any]] = {}
        self._on_disk: frozenset[str] | None = None  # the files whose results the kept file holds, as kept

    def read(self, src_path: str, raw: bytes, config: PortalConfig) -> tuple[str, Any, bool]:
        """(the content's digest, the result, whether the file was read now rather than kept).
        Does not remember a new result: a forked worker calls this, its parent `remember`s."""
        digest = hashlib.sha1(raw).hexdigest()
        known = self.known(src_path, digest, config)
        if known is not None:
            return digest, known, False
        return digest, self._read(src_path, raw, config), True

    def load(self, path: Path) -> None:
        """Results an earlier build kept (ignored when unreadable or from another version)."""
        kept = load_kept(path, self._version)
        self._cache.update(kept)
        self._on_disk = frozenset(kept)

    def save(self, path: Path, keep_only: Iterable[str]) -> None:
        """Keep the results of the files of this build (`keep_only`), for the next one; not
        written again when it would hold what it holds (a warm build that read nothing)."""
        entries = {src: self._cache[src] for src in keep_only if src in self._cache}
        if self._on_disk is not None and self._on_disk == frozenset(entries):
            return
        keep(path, self._version, entries)
        self._on_disk = frozenset(entries)

    def remember(self, src_path: str, digest: str, config: PortalConfig, result: Any) -> None:
        self._cache[src_path] = (digest, config.cache_key, result)
        self._on_disk = None  # a new result: the kept file must be written

    def known(self, src_path: str, digest: str, config: PortalConfig) -> Any:
        cached = self._cache.get(src_path)
        return cached[2] if cached and cached[0] == digest and cached[1] == config.cache_key else None


# Part of the kept results' file: a change to Article or to the reading rules makes a new one.
_CACHE_VERSION = hashlib.sha1(repr(sorted(Article.__dataclass_fields__)).encode()).hexdigest() + "-1"
