"""Search: the Pagefind index of what was published.

Each published article becomes one Pagefind record made from what readers search for —
headline, summary, headings and tags — with its date and category; ordinary pages become
a record of their text. Records come from the build's own data rather than from the
15,000 pages of the site, which keeps indexing fast and what a query downloads small
(see the README's search budgets).

Pagefind (>= 1.5) matches without diacritics by removing combining marks, but đ/Đ has no
decomposition, so "dang" would not find "Đảng". Each record therefore also carries its
words that contain đ with đ written as d ("Dảng"): Pagefind folds the other marks itself,
and typed diacritics still match the real words.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from .articles import FRONT_MATTER, Article
from .text import format_day, nfc

_MARKS = re.compile(r"[#*_`>|\[\]()!-]+")
_D_WORD = re.compile(r"\w*[đĐ]\w*")
_TAG = re.compile(r"<[^>]+>")
BUNDLE_DIR = "pagefind"
LANGUAGE = "vi"
# Records per Pagefind run: keeps the indexer near 500 MB of memory (about 100 kB a record).
SHARD_SIZE = int(os.environ.get("CHIBO_SEARCH_SHARD", "5000"))


def d_words(*texts: str) -> str:
    """The distinct words containing đ/Đ, with đ→d, in first-seen order."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _D_WORD.findall(_TAG.sub(" ", text)):
            seen.setdefault(word.replace("đ", "d").replace("Đ", "D"), None)
    return " ".join(seen)


@dataclass(frozen=True)
class SearchRecord:
    url: str  # relative to the site root: "bai-viet/2023/11/slug/"
    title: str
    text: str  # what is matched, besides the title
    summary: str = ""  # what the results list shows
    published: datetime | None = None
    with_time: bool = False
    category: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def content(self) -> str:
        parts = [self.title, self.text, " ".join(self.tags)]
        return " \n".join([*parts, d_words(*parts)])


def article_record(article: Article) -> SearchRecord:
    return SearchRecord(
        url=article.url,
        title=article.title,
        text=" ".join([article.summary, *article.headings]),
        summary=article.summary,
        published=article.date,
        with_time=article.has_time,
        category=article.category.name,
        tags=article.tags,
    )


def page_record(url: str, markdown: str) -> SearchRecord:
    """An ordinary page (Giới thiệu, Liên hệ): its title and its whole text."""
    text = nfc(markdown)
    meta: dict = {}
    if FRONT_MATTER.detect(text):
        front, text = FRONT_MATTER.split(text)
        try:
            meta = FRONT_MATTER.load(front) or {}
        except Exception:  # noqa: BLE001 - MkDocs itself ignores broken front matter on pages
            meta = {}
    title = str(meta.get("title") or "")
    if not title and (m := re.search(r"^#\s+(.+)$", text, re.MULTILINE)):
        title = m.group(1).strip()
    plain = " ".join(_MARKS.sub(" ", text).split())
    return SearchRecord(url=url, title=title or url, text=plain, summary=plain[:200])


def record_html(record: SearchRecord) -> str:
    """A minimal page for Pagefind: the text to match, and the result's data as attributes
    (attribute form, so that commas in a title or summary stay inside their value)."""
    e = html.escape

    def data(kind: str, key: str, value: str) -> str:
        return f'<span data-pagefind-{kind}="{key}[data-v]" data-v="{e(value)}"></span>' if value else ""

    return "".join(
        [
            '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title></title></head><body data-pagefind-body>',
            f"<h1>{e(record.title)}</h1><p>{e(record.content)}</p>",
            data("meta", "link", record.url),
            data("meta", "summary", record.summary),
            # formatted here, in the indexing process: Babel is slow, and the pages do not wait for this
            data("meta", "date", format_day(record.published, record.with_time) if record.published else ""),
            data("meta", "category", record.category),
            data("filter", "category", record.category),
            data("sort", "date", record.published.isoformat() if record.published else ""),
            "</body></html>",
        ]
    )


def shard_dirs(count: int) -> list[str]:
    """Bundle folders of an index in `count` shards: "pagefind", "pagefind-2", …"""
    return [BUNDLE_DIR if i == 0 else f"{BUNDLE_DIR}-{i + 1}" for i in range(count)]


def shard_count(records: int, per_shard: int = SHARD_SIZE) -> int:
    return max(1, -(-records // per_shard))


def write_index(
    records: Iterable[SearchRecord], site_dir: str, per_shard: int = SHARD_SIZE, timeout: float = 600
) -> tuple[bool, str, float]:
    """Write the Pagefind bundles into `site_dir`; (ok, problem, seconds). Never raises.

    The records are handed to Pagefind's indexer as small generated pages in a temporary
    folder: parsing those is much faster than parsing the site's full pages, and the
    indexer's Python service API is far slower still (about 0.1 s a record). Pagefind holds
    a whole index in memory (about 100 kB a record), so a large site is indexed in shards
    of `per_shard` records, one after the other; the search page merges them.
    """
    started = time.perf_counter()
    records = list(records)
    folders = shard_dirs(shard_count(len(records), per_shard))
    # In memory where the system offers it: creating 10,000 small files is slow on many disks.
    scratch = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    for number, folder_name in enumerate(folders):
        part = records[number * per_shard : (number + 1) * per_shard]
        with tempfile.TemporaryDirectory(prefix="chibo-search-", dir=scratch) as folder:
            pages, bundle = os.path.join(folder, "pages"), os.path.join(folder, "bundle")
            os.mkdir(pages)
            for index, record in enumerate(part):
                with open(os.path.join(pages, f"{index:06d}.html"), "w", encoding="utf-8") as f:
                    f.write(record_html(record))
            command = [
                sys.executable,
                "-m",
                "pagefind",
                "--site",
                pages,
                "--output-path",
                bundle,
                "--force-language",
                LANGUAGE,
                "--quiet",
            ]
            try:
                result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
            except (OSError, subprocess.TimeoutExpired) as exc:
                return False, str(exc), time.perf_counter() - started
            if result.returncode != 0:
                return False, (result.stdout + result.stderr).strip(), time.perf_counter() - started
            shutil.copytree(bundle, os.path.join(site_dir, folder_name), dirs_exist_ok=True)
    return True, "", time.perf_counter() - started
