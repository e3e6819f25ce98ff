"""Plan of the document library: from the read documents, their attached files and the published
articles, everything the library's pages show, decided once per build (no MkDocs here).

Which documents are published (drafts are not, nor their files), which collide (the same number,
issuer and year; the same address), what each replaces and what replaced it, each one's status
on the build's day, the registry's pages (all, per type, per year), the articles that mention a
document by its number, and the problems in the editors' words.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType

from .addresses import DOCUMENT_TYPES, DOCUMENTS
from .articles import Article
from .attachments import LEGACY_WARNING, Attachment, legacy_encoding
from .config import DocumentsConfig
from .documents import Document, number_key
from .errors import ContentError
from .listings import Listing, paginate
from .text import fold, format_size, slugify

IN_FORCE, NOT_YET, EXPIRED, REPLACED = "Còn hiệu lực", "Chưa có hiệu lực", "Hết hiệu lực", "Bị thay thế"
STATUSES = (IN_FORCE, NOT_YET, EXPIRED, REPLACED)
DATA_FILE = f"{DOCUMENTS}danh-sach.json"  # every row, for the registry's filters
FEED = f"{DOCUMENTS}feed.xml"
# a number as written in running text: "12-HD/BTCTW", "123/QĐ-UBND", "30/2020/NĐ-CP"
# (one run of word characters, slashes, dots and hyphens: linear, whatever the text)
_NUMBER = re.compile(r"(?<![\w/.-])\d[\w/.-]*")


@dataclass(frozen=True)
class Status:
    label: str
    replaced_by: Document | None = None


@dataclass(frozen=True)
class Library:
    documents: Mapping[str, Document]  # published, by source path
    newest: tuple[Document, ...]  # newest issued first
    attachments: Mapping[str, Attachment]  # published files, by path in docs/
    status: Mapping[str, Status]  # source path -> status on the build's day
    replaced: Mapping[str, tuple[Document, ...]]  # source path -> the documents it replaces
    same_type: Mapping[str, tuple[Document, ...]]  # source path -> up to five others of its type
    listings: Mapping[str, Listing]  # the registry's pages, by URL
    mentioned_in: Mapping[str, tuple[Article, ...]]  # source path -> articles naming its number
    mentions: Mapping[str, tuple[tuple[str, str], ...]]  # article -> (number as written, document URL)
    errors: tuple[ContentError, ...] = ()
    warnings: tuple[ContentError, ...] = ()
    withheld: frozenset[str] = field(default_factory=frozenset)  # drafts' files and refused files
    types: tuple[str, ...] = ()  # the types that have documents, in the settings' order
    years: tuple[int, ...] = ()  # newest first
    issuers: tuple[str, ...] = ()  # alphabetical
    subjects: tuple[str, ...] = ()  # the documents' fields ("lĩnh vực"), alphabetical
    category: str = ""  # the listing of the articles filed under "Văn bản", if the menu has it


def make_library(
    read: Mapping[str, Document | list[ContentError]],
    attachments: Mapping[str, Attachment | None],
    articles: Iterable[Article],
    now: datetime,
    config: DocumentsConfig,
    category: str = "",
) -> Library:
    """`read`: every document file, read; `attachments`: every file a document names, inspected
    (None: no such file)."""
    errors = [e for result in read.values() if isinstance(result, list) for e in result]
    warnings: list[ContentError] = []
    documents = {src: d for src, d in read.items() if not isinstance(d, list)}
    withheld = {path for d in documents.values() if d.draft for path in d.files}
    published: dict[str, Document] = {}
    for document in sorted((d for d in documents.values() if not d.draft), key=lambda d: d.src_path):
        problems = _file_problems(document, attachments, warnings)
        if legacy_encoding(f"{document.summary} {document.title} {document.text}"):
            warnings.append(ContentError(f"docs/{document.src_path}", 1, f"trích yếu hoặc nội dung: {LEGACY_WARNING}"))
        problems += _collision(document, published.values())
        if problems:
            errors += problems
            withheld.update(document.files)
        else:
            published[document.src_path] = document
    newest = tuple(sorted(published.values(), key=lambda d: (d.issued, d.number), reverse=True))
    replaced_by, replaced = _replacements(newest, warnings)
    status = {src: _status(d, replaced_by.get(src), now) for src, d in published.items()}
    files = {p: a for d in published.values() for p in d.files if (a := attachments.get(p)) is not None}
    mentions, mentioned_in = find_mentions(newest, articles) if config.link_mentions else ({}, {})
    types = tuple(t for t in config.types if any(d.type == t for d in newest))
    return Library(
        documents=MappingProxyType(published),
        newest=newest,
        attachments=MappingProxyType(files),
        status=MappingProxyType(status),
        replaced=MappingProxyType(replaced),
        same_type=MappingProxyType(_same_type(newest)),
        listings=MappingProxyType(_listings(newest, types, config.per_page)),
        mentioned_in=MappingProxyType(mentioned_in),
        mentions=MappingProxyType(mentions),
        errors=tuple(sorted(errors)),
        warnings=tuple(sorted(warnings)),
        withheld=frozenset(withheld),
        types=types,
        years=tuple(sorted({d.issued.year for d in newest}, reverse=True)),
        issuers=tuple(sorted({d.issuer for d in newest}, key=fold)),
        subjects=tuple(sorted({s for d in newest for s in d.fields}, key=fold)),
        category=category,
    )


def _file_problems(
    document: Document, attachments: Mapping[str, Attachment | None], warnings: list[ContentError]
) -> list[ContentError]:
    where = f"docs/{document.src_path}"
    problems = []
    for path in document.files:
        attachment = attachments.get(path)
        if attachment is None:
            problems.append(
                ContentError(
                    where,
                    document.file_line,
                    f'trường "file": không có tệp docs/{path}; hãy đặt tệp vào thư mục của văn bản '
                    "hoặc sửa tên tệp cho đúng (chữ hoa, chữ thường khác nhau)",
                )
            )
        elif attachment.problem:
            problems.append(ContentError(where, document.file_line, f"tệp docs/{path}: {attachment.problem}"))
        elif attachment.warning:
            warnings.append(ContentError(where, document.file_line, f"tệp docs/{path}: {attachment.warning}"))
    return problems


def _collision(document: Document, published: Iterable[Document]) -> list[ContentError]:
    for other in published:
        if other.key == document.key:
            return [
                ContentError(
                    f"docs/{document.src_path}",
                    1,
                    f"văn bản số {document.number} của {document.issuer} năm {document.issued.year} đã có ở "
                    f"docs/{other.src_path}; mỗi văn bản chỉ đăng một lần (sửa số/ký hiệu nếu gõ nhầm)",
                )
            ]
        if other.url == document.url:
            return [
                ContentError(
                    f"docs/{document.src_path}",
                    1,
                    f"trùng địa chỉ /{document.url} với docs/{other.src_path}; hãy thêm trường slug, "
                    f"ví dụ slug: {document.slug}-{slugify(document.issuer)}",
                )
            ]
    return []


def _replacements(
    newest: tuple[Document, ...], warnings: list[ContentError]
) -> tuple[dict[str, Document], dict[str, tuple[Document, ...]]]:
    """Who replaced each document, and what each replaces: a number names the newest document
    with that number issued no later than the one replacing it."""
    by_number: dict[str, list[Document]] = {}
    for document in newest:
        by_number.setdefault(number_key(document.number), []).append(document)
    replaced_by: dict[str, Document] = {}
    replaced: dict[str, tuple[Document, ...]] = {}
    for document in newest:
        found = []
        for number in document.replaces:
            old = next(
                (d for d in by_number.get(number_key(number), []) if d is not document and d.issued <= document.issued),
                None,
            )
            if old is None:
                warnings.append(
                    ContentError(
                        f"docs/{document.src_path}",
                        document.replaces_line,
                        f'trường "replaces": thư viện chưa có văn bản số {number}; trang vẫn được đăng, '
                        "liên kết sẽ có khi văn bản đó được đưa lên",
                    )
                )
                continue
            found.append(old)
            replaced_by.setdefault(old.src_path, document)
        if found:
            replaced[document.src_path] = tuple(found)
    return replaced_by, replaced


def _status(document: Document, replaced_by: Document | None, now: datetime) -> Status:
    if replaced_by is not None and (replaced_by.effective or replaced_by.issued) <= now:
        return Status(REPLACED, replaced_by)
    if document.expires is not None and document.expires <= now:
        return Status(EXPIRED)
    if (document.effective or document.issued) > now:
        return Status(NOT_YET)
    return Status(IN_FORCE)


def _same_type(newest: tuple[Document, ...]) -> dict[str, tuple[Document, ...]]:
    by_type: dict[str, list[Document]] = {}
    for document in newest:
        by_type.setdefault(document.type, []).append(document)
    return {d.src_path: tuple(o for o in by_type[d.type] if o is not d)[:5] for d in newest if len(by_type[d.type]) > 1}


def type_url(type_name: str) -> str:
    return f"{DOCUMENT_TYPES}{slugify(type_name)}/"


def _listings(newest: tuple[Document, ...], types: tuple[str, ...], per_page: int) -> dict[str, Listing]:
    empty = "Thư viện chưa có văn bản nào."
    pages = paginate(DOCUMENTS, "Văn bản", "documents", list(newest), per_page, FEED, empty)
    for type_name in types:
        docs = [d for d in newest if d.type == type_name]
        pages += paginate(type_url(type_name), f"Văn bản: {type_name}", "documents", docs, per_page, FEED)
    for year in sorted({d.issued.year for d in newest}):
        docs = [d for d in newest if d.issued.year == year]
        pages += paginate(f"{DOCUMENTS}{year}/", f"Văn bản năm {year}", "documents", docs, per_page, FEED)
    return {page.url: page for page in pages}


def numbers_in(text: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, key) of every number-like word of `text`."""
    for match in _NUMBER.finditer(text):
        word = match.group().rstrip("/.-")
        if "/" in word or "-" in word:
            yield match.start(), match.start() + len(word), number_key(word)


def find_mentions(
    newest: tuple[Document, ...], articles: Iterable[Article]
) -> tuple[dict[str, tuple[tuple[str, str], ...]], dict[str, tuple[Article, ...]]]:
    """Which documents each article names by number (a number several documents share names the
    newest of them issued before the article)."""
    by_number: dict[str, list[Document]] = {}
    for document in newest:
        by_number.setdefault(number_key(document.number), []).append(document)
    mentions: dict[str, tuple[tuple[str, str], ...]] = {}
    mentioned_in: dict[str, list[Article]] = {}
    for article in articles:
        found: dict[str, Document] = {}
        for _, _, key in numbers_in(article.text) if by_number else ():
            candidates = by_number.get(key)
            if candidates and key not in found:
                found[key] = next((d for d in candidates if d.issued <= article.date), candidates[-1])
        if found:
            mentions[article.src_path] = tuple(sorted((key, d.url) for key, d in found.items()))
            for document in found.values():
                mentioned_in.setdefault(document.src_path, []).append(article)
    newest_first = {
        src: tuple(sorted(items, key=lambda a: a.date, reverse=True)) for src, items in mentioned_in.items()
    }
    return mentions, newest_first


def link_mentions(html: str, mentions: Mapping[str, str], page_url: str) -> str:
    """`html` with each number of `mentions` (key -> document URL) outside links and code made a
    link to its document, relative to `page_url`."""
    if not mentions:
        return html
    up = "../" * page_url.count("/")
    out, depth = [], 0
    for part in re.split(r"(<[^>]*>)", html):
        if part.startswith("<"):
            tag = re.match(r"</?\s*([a-zA-Z0-9]+)", part)
            if tag and tag.group(1).lower() in ("a", "code", "pre", "h1", "h2", "h3", "script", "style"):
                depth += -1 if part.startswith("</") else 1
            out.append(part)
        elif depth > 0 or not part.strip():
            out.append(part)
        else:
            out.append(_linked(part, mentions, up))
    return "".join(out)


def _linked(text: str, mentions: Mapping[str, str], up: str) -> str:
    pieces, at = [], 0
    for start, end, key in numbers_in(text):
        url = mentions.get(key)
        if url is None:
            continue
        pieces += [text[at:start], f'<a class="portal-doc-link" href="{up}{url}">{text[start:end]}</a>']
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def registry_data(library: Library) -> str:
    """Every published document as the registry's filters need it (van-ban.js): one row each,
    newest first; filter values are slugs, as in the filters' options."""
    rows = []
    for d in library.newest:
        files = [[p, library.attachments[p].format, format_size(library.attachments[p].size)] for p in d.files]
        rows.append(
            {
                "u": d.url,
                "n": d.number,
                "d": f"{d.issued:%d/%m/%Y}",
                "iso": d.issued.date().isoformat(),
                "y": d.issued.year,
                "s": d.summary,
                "t": d.type,
                "tk": slugify(d.type),
                "i": d.issuer,
                "ik": slugify(d.issuer),
                "g": d.signer,
                "k": [slugify(s) for s in d.fields],
                "st": library.status[d.src_path].label,
                "f": files,
            }
        )
    return json.dumps({"version": 1, "rows": rows}, ensure_ascii=False, separators=(",", ":"))
