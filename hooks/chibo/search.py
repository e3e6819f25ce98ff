"""Search: the portal's own static full-text index of what was published.

Each published article becomes one record: its headline, tags and author (the words that rank
first), its summary and the whole text of its body, with its date and category; ordinary pages
become a record of their text. Records come from the build's own data, not from the site's pages.

The index is static JSON files under `tim-kiem/chi-muc/` that the search page fetches on the
first query, never before:

- `meta.json`: the index's version, the number of records, the first word of each words file,
  the categories and years and each record's category and year (the filters need no other file);
- `<version>/w<n>.json`: the words, in the order of their folded keys ("dang", đ included), cut
  into files of about `WORDS_FILE_BYTES`, so that a word is in one known file and the words that
  begin with what the reader has typed so far are in one or a few neighbouring files. Under its
  key every word is written lower-case as it appears ("đảng", "đăng") with the records that have
  it in the headline, tags or author (with its place in the headline), the records that have it
  elsewhere, and those whose body has it `OFTEN` times or more (ids as differences, which keeps
  the numbers short);
- `<version>/r<n>.json`: what a result shows (link, headline, date, category, summary) and the
  text the excerpt around the match is cut from, for `CHUNK` records a file.

Records are numbered newest first, which is the order of equally good matches and keeps the
results of a query in few results files. The version (a hash of the content) names the folder,
so a reader's browser never mixes files of two builds.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from .addresses import SEARCH_INDEX
from .articles import Article, plain_text
from .cache import keep, load_kept
from .options import read_options
from .source import FRONT_MATTER
from .text import fold, format_day, nfc

INDEX_DIR = SEARCH_INDEX
# Records per results file: the twenty results of a query are spread over up to as many files,
# so small files keep a query small; too small, and the build writes thousands of them.
CHUNK = read_options().search_chunk
# Size of a words file (bytes of JSON before compression, about a third of that sent gzipped).
WORDS_FILE_BYTES = read_options().search_words_bytes
# Times a word must be in a body to count as what the article is about (it then ranks a little
# above the articles that mention it less).
OFTEN = 3
_WORD = re.compile(r"[^\W_]+")
_KEY = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class SearchRecord:
    url: str  # relative to the site root: "bai-viet/2023/11/slug/"
    title: str
    text: str  # the body as plain text: matched, and where excerpts are cut from
    summary: str = ""  # matched too; shown when the match is not in the text
    published: datetime | None = None
    with_time: bool = False
    category: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    author: str = ""


def article_record(article: Article) -> SearchRecord:
    return SearchRecord(
        url=article.url,
        title=article.title,
        text=article.text,
        summary=article.summary,
        published=article.date,
        with_time=article.has_time,
        category=article.category.name,
        tags=article.tags,
        author=article.author,
    )


DOCUMENTS_FILTER = "Văn bản"  # the search page's filter for the document library


def document_record(document: Any, library: Any) -> SearchRecord:
    """A document of the library (`library.Library`): its number, summary, issuer, signer,
    fields, body and the text of its PDFs."""
    texts = [library.attachments[p].text for p in document.files if p in library.attachments]
    return SearchRecord(
        url=document.url,
        title=f"{document.heading}: {document.title or document.summary}",
        text=" ".join([document.issuer, document.signer, *document.fields, document.text, *texts]).strip(),
        summary=document.summary,
        published=document.issued,
        category=DOCUMENTS_FILTER,
        author=document.signer,
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
    plain = plain_text(text)
    return SearchRecord(url=url, title=title or url, text=plain, summary=first_words(plain))


def words(text: str) -> list[str]:
    """The words of `text` as the index and the search page cut them: letters and digits, lower-case."""
    return _WORD.findall(nfc(text).lower())


def key(word: str) -> str:
    """A word's folded key ("đảng" -> "dang"); the search page folds a query word the same way."""
    return "".join(_KEY.findall(fold(word))) or word


def _deltas(ids: list[int]) -> list[int]:
    return [b - a for a, b in zip([0, *ids], ids, strict=False)]


@dataclass
class _Posting:
    """The records that have one word: in the headline, tags or author (with the word's place in
    the headline, so that words next to each other rank higher), and elsewhere (once or twice, or
    more often)."""

    strong: list[int] = field(default_factory=list)
    position: list[str] = field(default_factory=list)  # one character each, see _place
    other: list[int] = field(default_factory=list)
    often: list[int] = field(default_factory=list)  # elsewhere, OFTEN times or more in the body


def _place(position: int | None) -> str:
    """A word's place in a headline as one character ("0" first, up to "X" for 40 and after;
    "-" for a word only in the tags): half the size of a list of numbers."""
    return "-" if position is None else chr(48 + min(position, 40))


def first_words(text: str, limit: int = 200) -> str:
    """The start of a text, cut at a word, for a result whose match is not in its text."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _order(word_key: str) -> bytes:
    """Keys in the order JavaScript compares strings (UTF-16 code units), so that the search
    page finds a key's file by comparing it with the files' first keys."""
    return word_key.encode("utf-16-be")


def words_file(meta: dict, word_key: str) -> str:
    """The words file (relative to INDEX_DIR) that holds a key, found as the search page finds it:
    the last file whose first key is not after it."""
    firsts = [_order(first) for first in meta["words"]]
    return f"{meta['version']}/w{max(0, bisect.bisect_right(firsts, _order(word_key)) - 1)}.json"


# The format of the index, named once: meta.json carries these names, and the search page
# (search.js) and the tests' reader find each list by its name, never by a number of their own.
FORMAT = 2
# a word's lists, in this order: records with it in the headline, tags or author (as differences),
# its place in each such headline (one character: "0" first, "-" not there), records with it
# elsewhere, records whose body repeats it
POSTING = ("strong", "places", "other", "often")
RESULT = ("url", "title", "day", "summary", "text")  # a result's fields, in the r*.json files


def index_files(
    records: Iterable[SearchRecord],
    categories: list[str],
    chunk: int = CHUNK,
    words_bytes: int = WORDS_FILE_BYTES,
    analyses: Analyses | None = None,
) -> dict[str, str]:
    """The index's files, path (relative to INDEX_DIR) -> JSON text. `analyses`: the records'
    words known from an earlier index."""
    # newest first; the address settles a tie, so that the index does not follow the read order
    # (the workers' shares)
    ordered = sorted(
        records, key=lambda r: (r.published is None, -(r.published.timestamp() if r.published else 0), r.url)
    )
    category_index = {name: chr(48 + i) for i, name in enumerate(categories)}
    by_word: dict[str, _Posting] = {}  # word as written -> the records that have it
    analysed = analyses.of if analyses is not None else analyse
    for number, record in enumerate(ordered):
        _file_words(by_word, number, analysed(record))
    out, first_keys = _words_files(by_word, words_bytes)
    del by_word  # the words' files hold them now: memory for the results' files
    for n in range(0, len(ordered), chunk):
        out[f"r{n // chunk}.json"] = _json([_result_fields(r) for r in ordered[n : n + chunk]])
    years = sorted({r.published.year for r in ordered if r.published}, reverse=True)
    year_index = {year: chr(48 + i) for i, year in enumerate(years)}
    digest = hashlib.sha1()
    for name in sorted(out):  # file by file: the whole index joined would be tens of MB at once
        digest.update(out[name].encode())
    version = digest.hexdigest()[:12]
    meta = {
        "format": FORMAT,
        "posting": list(POSTING),
        "result": list(RESULT),
        "version": version,
        "records": len(ordered),
        "chunk": chunk,
        # the first key of each words file, in order: a key is in the last file that starts before it
        "words": first_keys,
        "categories": categories,
        # one character per record: chr(48 + its category's position), "-" for an ordinary page
        "category_of": "".join(category_index.get(r.category, "-") for r in ordered),
        # the same for the year filter: chr(48 + the year's position in "years"), "-" for a page
        "years": years,
        "year_of": "".join(year_index[r.published.year] if r.published else "-" for r in ordered),
    }
    files_out = {f"{version}/{name}": text for name, text in out.items()}
    files_out["meta.json"] = _json(meta)
    return files_out


def _words_files(by_word: dict[str, _Posting], words_bytes: int) -> tuple[dict[str, str], list[str]]:
    """The words files (name -> JSON text) of about `words_bytes` each, and each one's first key."""
    postings: dict[str, dict[str, _Posting]] = {}  # folded key -> word as written -> its records
    for word, posting in by_word.items():
        postings.setdefault(key(word), {})[word] = posting
    out: dict[str, str] = {}
    first_keys: list[str] = []
    entries: list[str] = []
    size = 0
    for word_key in sorted(postings, key=_order):
        variants = postings[word_key]
        entry = _json(word_key) + ":" + _json({word: _posting_fields(p) for word, p in sorted(variants.items())})
        if entries and size + len(entry) > words_bytes:
            out[f"w{len(first_keys) - 1}.json"] = "{" + ",".join(entries) + "}"
            entries, size = [], 0
        if not entries:
            first_keys.append(word_key)
        entries.append(entry)
        size += len(entry) + 1
    if entries:
        out[f"w{len(first_keys) - 1}.json"] = "{" + ",".join(entries) + "}"
    return out, first_keys


Analysis = tuple[str, str, str, str]
"""A record's words as the index files them, each list space-separated (a word has no space):
the strong ones (headline, tags, author), their places in the headline (one character each),
the others, and those the body repeats `OFTEN` times or more."""


def analyse(record: SearchRecord) -> Analysis:
    """A record's words (`Analysis`), sorted: a set's order changes from one process to the next."""
    title = words(record.title)
    position: dict[str, int] = {}
    for i, word in enumerate(title):
        position.setdefault(word, i)
    # tags and the author are found like headline words ("Thu Hà" finds her articles)
    strong = sorted(set(title).union(words(" ".join(record.tags)), words(record.author)))
    counts = Counter(words(record.text))
    rest = sorted(set(counts).union(words(record.summary)).difference(strong))
    return (
        " ".join(strong),
        "".join(_place(position.get(word)) for word in strong),
        " ".join(word for word in rest if counts.get(word, 0) < OFTEN),
        " ".join(word for word in rest if counts.get(word, 0) >= OFTEN),  # what the article is about
    )


class Analyses:
    """Records' analyses by their content, made once: a publishing build keeps them in the
    cache folder (`load`, `save`) and a preview's index worker in memory, so that an index made
    again after one article changed analyses only that article (the words' regular expression
    was most of the index's time)."""

    VERSION = hashlib.sha1(repr((FORMAT, _WORD.pattern, OFTEN, "utf-8")).encode()).hexdigest()

    def __init__(self) -> None:
        # kept as UTF-8: half the memory of Vietnamese text as str, in the index's largest process
        self._known: dict[str, tuple[bytes, ...]] = {}
        self._used: set[str] = set()
        self._on_disk: frozenset[str] | None = None  # the analyses the kept file holds, as kept

    def of(self, record: SearchRecord) -> Analysis:
        fields = (record.title, "\0".join(record.tags), record.author, record.summary, record.text)
        digest = hashlib.sha1("\0\0".join(fields).encode()).hexdigest()
        self._used.add(digest)
        known = self._known.get(digest)
        if known is not None:
            strong, places, other, often = (part.decode() for part in known)
            return strong, places, other, often
        analysis = analyse(record)
        self._known[digest] = tuple(part.encode() for part in analysis)
        self._on_disk = None
        return analysis

    def load(self, path: Path) -> None:
        kept = load_kept(path, self.VERSION)
        self._known.update(kept)
        self._on_disk = frozenset(kept)

    def prune(self) -> None:
        """Only the analyses of the records asked for since the last prune are kept."""
        self._known = {digest: self._known[digest] for digest in self._used}
        self._used = set()

    def save(self, path: Path) -> None:
        """Keep the analyses of this index's records (only those), unless the file holds just them."""
        self.prune()
        if self._on_disk != frozenset(self._known):
            keep(path, self.VERSION, self._known)
            self._on_disk = frozenset(self._known)


def _file_words(by_word: dict[str, _Posting], number: int, analysis: Analysis) -> None:
    """Record `number`'s words into their postings: strong ones with their place in the headline,
    the others, and those the body repeats."""
    strong, places, other, often = analysis
    for word, place in zip(strong.split(), places, strict=True):
        posting = by_word.get(word) or by_word.setdefault(word, _Posting())
        posting.strong.append(number)
        posting.position.append(place)
    for word in other.split():
        (by_word.get(word) or by_word.setdefault(word, _Posting())).other.append(number)
    for word in often.split():
        (by_word.get(word) or by_word.setdefault(word, _Posting())).often.append(number)


def _posting_fields(posting: _Posting) -> list[object]:
    fields: dict[str, object] = {
        "strong": _deltas(posting.strong),
        "places": "".join(posting.position),
        "other": _deltas(posting.other),
        "often": _deltas(posting.often),
    }
    return [fields[name] for name in POSTING]


def _result_fields(record: SearchRecord) -> list[str]:
    """A result as the search page shows it: link, headline, date (formatted here, in the indexing
    process: the pages do not wait for this), summary, and the text the excerpt is cut from. The
    summary is left out when it is the text's beginning (the page then cuts that itself)."""
    summary = record.summary
    if record.text.startswith(summary.removesuffix(" …")):
        summary = ""
    day = format_day(record.published, record.with_time) if record.published else ""
    fields = {"url": record.url, "title": record.title, "day": day, "summary": summary, "text": record.text}
    return [fields[name] for name in RESULT]


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_index(
    records: Iterable[SearchRecord], categories: list[str], analyses: Analyses | None = None
) -> tuple[bool, dict[str, str] | str, float]:
    """The index's files (path relative to INDEX_DIR -> text), or the problem; and the seconds it
    took. Never raises: it runs in a forked process beside the pages."""
    started = time.perf_counter()
    try:
        files: dict[str, str] | str = index_files(records, categories, analyses=analyses)
    except (OSError, ValueError) as exc:
        files = str(exc)
    return not isinstance(files, str), files, time.perf_counter() - started
