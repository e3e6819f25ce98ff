"""Read stage of the document library: one Markdown file under docs/van-ban/ -> one immutable
Document, through the same reader as articles (`read_source`, `parse_fields` over the content
model's DOCUMENT_FIELDS), then the document's own rules. What needs the attached files (do they
exist, are they what their extension says, their text) is `attachments.py`'s; what needs the
whole library (duplicates, replacements, status) is `library.py`'s.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from .addresses import DOCUMENTS
from .articles import plain_text
from .config import PortalConfig
from .errors import ContentError
from .fields import read_declared
from .links import image_targets, link_targets
from .model import DOCUMENT_FIELDS
from .source import Source
from .text import fold, slugify

# what an attached file may be, by extension: its format's name for readers
FORMATS = {".pdf": "PDF", ".doc": "DOC", ".docx": "DOCX", ".odt": "ODT", ".xls": "XLS", ".xlsx": "XLSX"}


@dataclass(frozen=True)
class Document:
    src_path: str  # relative to docs/, with forward slashes
    number: str  # as written: "12-HD/BTCTW"
    type: str  # one of the settings' types, as declared there
    issuer: str
    issued: datetime
    summary: str
    slug: str
    files: tuple[str, ...] = ()  # the attached files, relative to docs/
    effective: datetime | None = None
    expires: datetime | None = None
    signer: str = ""
    fields: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()  # numbers as written
    title: str = ""
    draft: bool = False
    text: str = ""  # the body as plain text
    has_body: bool = False
    content_hash: str = ""
    file_line: int = 1
    replaces_line: int = 1
    links: tuple[str, ...] = ()  # link and image targets in the body, as written

    @cached_property
    def url(self) -> str:
        return f"{DOCUMENTS}{self.issued:%Y}/{self.slug}/"

    @cached_property
    def dest_path(self) -> str:
        return f"{self.url}index.html"

    @cached_property
    def key(self) -> tuple[str, str, int]:
        """What identifies a document: the same number, issuer and year of issue is one document
        (Party numbers restart per type and term, state numbers every year)."""
        return number_key(self.number), fold(self.issuer), self.issued.year

    @property
    def date(self) -> datetime:
        """For listings and feeds, which order by date."""
        return self.issued

    @property
    def heading(self) -> str:
        """ "Hướng dẫn số 12-HD/BTCTW": how the page and search name it."""
        return f"{self.type} số {self.number}"


def number_key(number: str) -> str:
    """A number as it is compared: case, spaces and the accent on Đ do not matter."""
    return re.sub(r"\s+", "", fold(number))


def read_document(
    src_path: str, raw: bytes, config: PortalConfig, display_root: str = "docs"
) -> Document | list[ContentError]:
    """One document, or every problem found in it (file, line, field, what to write)."""
    read = read_declared(f"{display_root}/{src_path}" if display_root else src_path, raw, DOCUMENT_FIELDS, config)
    if isinstance(read, list):
        return read
    source, values, errors = read
    text = plain_text(source.body)
    slug = values["slug"] if values["slug"] is not None else slugify(values["number"])
    files, file_problems = _files(src_path, values["file"])
    errors += [ContentError(source.where, source.line_of("file"), message) for message in file_problems]
    errors += [ContentError(source.where, line, message) for line, message in _rules(source, values, text, slug)]
    if errors:
        return sorted(errors)
    issued, _ = values["issued"]
    return Document(
        src_path=src_path,
        number=values["number"],
        type=values["type"],
        issuer=values["issuer"],
        issued=issued,
        summary=values["summary"],
        slug=slug,
        files=files,
        effective=values["effective"][0] if values["effective"] else None,
        expires=values["expires"][0] if values["expires"] else None,
        signer=values["signer"],
        fields=values["fields"],
        replaces=values["replaces"],
        title=values["title"],
        draft=values["draft"],
        text=text,
        has_body=bool(text),
        content_hash=hashlib.sha1(raw).hexdigest(),
        file_line=source.line_of("file"),
        replaces_line=source.line_of("replaces"),
        links=link_targets(source.body) + image_targets(source.body),
    )


def _files(src_path: str, written: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    """The attached files as paths of docs/: next to the document (or below it), or from docs/
    when written with a leading "/"."""
    folder = posixpath.dirname(src_path)
    paths, problems = [], []
    for name in written:
        path = posixpath.normpath(name.lstrip("/") if name.startswith("/") else posixpath.join(folder, name))
        extension = posixpath.splitext(path)[1].lower()
        if path.startswith("../") or path == ".." or "://" in name:
            problems.append(f'trường "file": "{name}" phải là tệp trong thư mục docs/, đặt cạnh tệp văn bản')
        elif extension not in FORMATS:
            problems.append(
                f'trường "file": "{name}" không phải loại tệp được nhận; hãy đính kèm tệp '
                + ", ".join(f.lower() for f in FORMATS)
            )
        else:
            paths.append(path)
    return tuple(paths), problems


def _rules(source: Source, values: dict[str, Any], text: str, slug: str) -> list[tuple[int, str]]:
    """What a document needs beyond each field on its own: (line, message)."""
    out = []
    if not values["file"] and not text:
        out.append(
            (
                1,
                'thiếu trường "file" (tệp văn bản). Hãy đặt tệp PDF cạnh tệp này và viết ví dụ file: 12-hd-btctw.pdf, '
                "hoặc chép toàn văn văn bản vào phần nội dung.",
            )
        )
    issued, effective, expires = values["issued"], values["effective"], values["expires"]
    if issued and effective and effective[0] < issued[0]:
        out.append(
            (
                source.line_of("effective"),
                f'trường "effective": ngày có hiệu lực {effective[0]:%d/%m/%Y} trước ngày ban hành '
                f"{issued[0]:%d/%m/%Y}; hãy kiểm tra lại hai ngày này.",
            )
        )
    start = effective or issued
    if start and expires and expires[0] < start[0]:
        out.append(
            (
                source.line_of("expires"),
                f'trường "expires": ngày hết hiệu lực {expires[0]:%d/%m/%Y} trước ngày văn bản có hiệu lực; '
                "hãy kiểm tra lại.",
            )
        )
    if values["number"] and not slug:
        out.append((source.line_of("number"), "số/ký hiệu không có chữ hay số để tạo đường dẫn; hãy thêm trường slug"))
    return out
