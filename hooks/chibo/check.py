"""`chibo check`: the build's own rules (one rule set: `articles`, `catalog`, `config`)
plus what the build does not spend time on: links and images in the text that point
at no file, and text that is not in composed Unicode (NFC)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .addresses import DOCUMENTS
from .articles import ARTICLES_DIR, Article, read_article
from .attachments import Attachment, AttachmentCache, inspect_file
from .catalog import build_catalog, now_in_vietnam
from .docs_files import refused
from .documents import Document, read_document
from .errors import ContentError, ContentErrors
from .images import is_raster, needs_shrinking
from .library import make_library
from .links import MARKDOWN_IMAGE, MARKDOWN_LINK, candidates
from .old_addresses import MAP_FILE, read_map
from .project import Project
from .sanitise import located, sanitise
from .source import FRONT_MATTER

_FENCE = re.compile(r"^(```|~~~)")
_DOC_SUFFIXES = (".md", ".markdown")


@dataclass
class Report:
    problems: list[ContentError] = field(default_factory=list)  # stop publishing
    warnings: list[ContentError] = field(default_factory=list)  # said, but publishing goes on


def check_project(project: Project) -> Report:
    errors: list[ContentError] = []
    report = Report()
    try:
        portal = project.portal()
    except ContentErrors as exc:
        report.problems = exc.errors  # without a valid configuration the articles cannot be judged
        return report
    docs = project.docs
    files = {p.relative_to(docs).as_posix(): p for p in docs.rglob("*") if p.is_file() or p.is_symlink()}
    refusals = refused(str(docs), files, project.theme_dirs(), portal.verbatim_files, project.display_path(docs))
    errors += refusals.values()
    files = {src: path for src, path in files.items() if src not in refusals}
    articles: dict[str, Article] = {}
    documents: dict[str, Document | list[ContentError]] = {}
    for src, path in sorted(files.items()):
        if is_raster(src) and (why := needs_shrinking(path)):
            report.warnings.append(
                ContentError(
                    f"{project.display_path(docs)}/{src}",
                    1,
                    f"cảnh báo: ảnh gốc {why}; hãy chạy chibo shrink để thu nhỏ (còn khoảng 0,3–0,6 MB, "
                    "bỏ vị trí GPS) trước khi đưa vào kho, để kho không phình to.",
                )
            )
        if not src.endswith(_DOC_SUFFIXES):
            continue
        raw = path.read_bytes()
        where = f"{project.display_path(docs)}/{src}"
        report.warnings += _sanitised(where, raw, project)
        if src.startswith(ARTICLES_DIR):
            result = read_article(src, raw, portal, display_root=project.display_path(docs))
            if isinstance(result, list):
                errors += result
            else:
                articles[src] = result
        elif src.startswith(DOCUMENTS):
            documents[src] = read_document(src, raw, portal, display_root=project.display_path(docs))
        errors += _text_problems(where, src, raw, files, report.warnings)
    # drafts and scheduled articles are checked like the others
    catalog = build_catalog(articles, now_in_vietnam(), set(files), project.display_path(docs), check_held_back=True)
    errors += catalog.errors + catalog.far_future
    if documents:
        library = make_library(
            documents, _attachments(documents, files), articles.values(), now_in_vietnam(), portal.documents
        )
        errors += [_shown(e, project.display_path(docs)) for e in library.errors]
        report.warnings += [_shown(e, project.display_path(docs)) for e in library.warnings]
    if MAP_FILE in files:  # the import's map of old addresses: the build refuses a broken one
        errors += [
            _shown(e, project.display_path(docs)) for e in read_map(files[MAP_FILE].read_bytes(), f"docs/{MAP_FILE}")[1]
        ]
    report.problems = sorted(set(errors))
    report.warnings.sort()
    return report


def _attachments(documents: dict[str, Any], files: dict[str, Path]) -> dict[str, Attachment | None]:
    """Every file the documents attach, inspected as the build does (None: no such file)."""
    paths = {p for d in documents.values() if isinstance(d, Document) for p in d.files}
    cache = AttachmentCache()
    return {p: (inspect_file(p, str(files[p]), cache)[1] if p in files and files[p].is_file() else None) for p in paths}


def _shown(error: ContentError, docs: str) -> ContentError:
    """The library names files as docs/…; the editor's docs folder may be called otherwise."""
    where = error.path
    return ContentError(f"{docs}/{where[5:]}" if where.startswith("docs/") else where, error.line, error.message)


# What can make a body's HTML unsafe: raw HTML, attributes ({…}) or a link with a scheme.
_MAY_BE_UNSAFE = re.compile(
    r"[<{]|\]\(\s*<?\s*[A-Za-z][A-Za-z0-9+.-]*:|^ {0,3}\[[^\]]+\]:\s*<?[A-Za-z][A-Za-z0-9+.-]*:", re.M
)


def _sanitised(where: str, raw: bytes, project: Project) -> list[ContentError]:
    """What the build's sanitiser will drop from this page, as warnings (the page stays safe)."""
    text = raw.decode("utf-8-sig", "replace")
    if not _MAY_BE_UNSAFE.search(text):
        return []
    import markdown

    extensions, configs = project.markdown_extensions()
    try:
        body = FRONT_MATTER.split(text)[1] if FRONT_MATTER.detect(text) else text
    except ValueError:  # front matter never closed: read_article says so; the text is the body
        body = text
    try:
        html = markdown.Markdown(extensions=extensions, extension_configs=configs).convert(body)
    except Exception:  # noqa: BLE001 - an extension the build may not load either: the build says so
        return []
    _, removed = sanitise(html)
    return [ContentError(where, line, f"cảnh báo: {message}") for line, message in located(text, removed)]


def _text_problems(
    where: str, src: str, raw: bytes, files: dict[str, Path], warnings: list[ContentError]
) -> list[ContentError]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return []  # read_article reports it for articles
    problems = []
    in_code = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _FENCE.match(line.strip()):
            in_code = not in_code
            continue
        if not unicodedata.is_normalized("NFC", line):
            problems.append(
                ContentError(
                    where,
                    number,
                    "chữ ở dòng này gõ ở dạng tổ hợp (NFD): trang vẫn hiển thị đúng, "
                    "nhưng nên gõ lại bằng bộ gõ Unicode dựng sẵn (ví dụ Unikey) để tìm kiếm và so sánh chính xác",
                )
            )
        if in_code:
            continue
        for alt, target, _ in MARKDOWN_IMAGE.findall(line):
            if not alt.strip():
                warnings.append(
                    ContentError(
                        where,
                        number,
                        f'cảnh báo: ảnh "{target}" chưa có mô tả; hãy viết mô tả ngắn trong ngoặc vuông, '
                        f"ví dụ ![Đồng chí Bí thư phát biểu]({target}), để người khiếm thị dùng trình đọc "
                        "màn hình biết ảnh có gì.",
                    )
                )
        for target in MARKDOWN_LINK.findall(line):
            if (problem := _link_problem(src, target, files)) is not None:
                problems.append(ContentError(where, number, problem))
    return problems


def _link_problem(src: str, target: str, files: dict[str, Path]) -> str | None:
    paths = candidates(src, target)
    if not paths or any(c in files for c in paths):
        return None
    kind = "ảnh" if re.search(r"\.(jpe?g|png|gif|webp|svg)$", paths[0], re.IGNORECASE) else "liên kết"
    return f'{kind} "{target}" không trỏ tới tệp nào trong docs/ (tìm tại docs/{paths[0]}); hãy sửa đường dẫn hoặc chép tệp vào'
