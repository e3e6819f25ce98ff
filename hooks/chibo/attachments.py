"""A document's attached files: is each what its extension says, how big, and for a PDF its text
(for search) and its first page as an image (for the detail page and link previews).

PDFs are read with pypdfium2 (PDFium's Apache/BSD build; PyMuPDF is AGPL). Each file's result is
kept by the hash of its content (`AttachmentCache`), so a warm build parses no PDF. Hostile files
cost bounded time and memory: files over FILE_LIMIT are refused unread, text is taken from the
first PAGE_LIMIT pages and cut at TEXT_LIMIT characters, the preview is rendered at a fixed width.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .cache import keep, load_kept
from .documents import FORMATS
from .text import clean_text

FILE_LIMIT = 50 * 1024 * 1024  # GitHub refuses files over 100 MB; a document is rarely a tenth of it
PAGE_LIMIT = 300
TEXT_LIMIT = 400_000  # characters of a PDF's text kept for search
PREVIEW_WIDTH = 480  # px of the first page's image
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # DOC, XLS
# a zip file's member that says what it holds
_ZIPPED = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml", ".odt": "content.xml"}
# characters that Vietnamese text never has but TCVN3 (.VnTime) and VNI fonts leave in extracted text
_LEGACY = re.compile("[¸µ¶·¹¨®©ª«¬\u00ad¤¦§£¥¢¡øûïñöäëåüÿÜÖÄËÏÅÇÑÆ]")
_LETTER = re.compile(r"[^\W\d_]")
SCAN_WARNING = "không tìm được chữ trong tệp, bạn đọc không tìm thấy văn bản này bằng nội dung"
LEGACY_WARNING = (
    "chữ trong tệp có vẻ gõ bằng bảng mã cũ (TCVN3 hoặc VNI), bạn đọc sẽ thấy chữ lỗi khi tìm kiếm; "
    "hãy chuyển tệp sang Unicode (ví dụ bằng Unikey: Công cụ chuyển mã) rồi xuất lại PDF"
)


@dataclass(frozen=True)
class Attachment:
    path: str  # relative to docs/
    format: str  # "PDF"
    size: int  # bytes
    digest: str
    text: str = ""  # a PDF's text, NFC
    pages: int = 0
    preview: bytes = b""  # a PDF's first page as JPEG
    preview_size: tuple[int, int] = (0, 0)
    problem: str = ""  # why it cannot be published (content not what the extension says)
    warning: str = ""  # published, but readers will miss something


def inspect(path: str, raw: bytes, digest: str = "") -> Attachment:
    """What `raw`, the content of docs/`path` (whose SHA-1 is `digest`, when known), is."""
    extension = Path(path).suffix.lower()
    digest = digest or hashlib.sha1(raw).hexdigest()
    format_name = FORMATS[extension]
    base = Attachment(path, format_name, len(raw), digest)
    if not _looks_like(extension, raw):
        return Attachment(
            path,
            format_name,
            len(raw),
            digest,
            problem=f"nội dung tệp không phải {format_name} như đuôi .{extension[1:]} của nó; "
            f"hãy đính kèm đúng tệp {format_name} (hoặc đổi đuôi tệp cho đúng loại)",
        )
    if extension != ".pdf":
        return base
    return _pdf(base, raw)


def _looks_like(extension: str, raw: bytes) -> bool:
    if extension == ".pdf":
        return b"%PDF-" in raw[:1024]
    if extension in (".doc", ".xls"):
        return raw.startswith(_OLE)
    if not raw.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zipped:
            return _ZIPPED[extension] in zipped.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _pdf(base: Attachment, raw: bytes) -> Attachment:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        return Attachment(
            base.path,
            base.format,
            base.size,
            base.digest,
            problem=f"không mở được tệp PDF ({exc}); hãy xuất lại tệp PDF (tệp có mật khẩu cũng không mở được)",
        )
    try:
        pages = len(pdf)
        parts, total = [], 0
        first = pdf[0] if pages else None
        for number in range(min(pages, PAGE_LIMIT)):
            page = first if number == 0 else pdf[number]
            text = page.get_textpage().get_text_bounded()  # type: ignore[union-attr]
            parts.append(text)
            total += len(text)
            if total > TEXT_LIMIT:
                break
        text = " ".join(clean_text(unicodedata.normalize("NFC", " ".join(parts))).split())[:TEXT_LIMIT]
        preview, preview_size = _preview(first) if first is not None else (b"", (0, 0))
    finally:
        pdf.close()
    warning = SCAN_WARNING if len(text) < 20 else LEGACY_WARNING if legacy_encoding(text) else ""
    return Attachment(
        base.path, base.format, base.size, base.digest, text, pages, preview, preview_size, warning=warning
    )


def _preview(page: object) -> tuple[bytes, tuple[int, int]]:
    width = page.get_width()  # type: ignore[attr-defined]
    scale = min(PREVIEW_WIDTH / width, 2.0) if width > 0 else 1.0
    # grey: documents are black on white, and a grey JPEG is a third of the work and bytes
    image = page.render(scale=scale, grayscale=True).to_pil().convert("L")  # type: ignore[attr-defined]
    out = io.BytesIO()
    image.save(out, "JPEG", quality=75)
    return out.getvalue(), image.size


def legacy_encoding(text: str) -> bool:
    """Text typed in TCVN3 or VNI and read as Unicode: marks Vietnamese never uses, often.
    (Judged on the first 20,000 characters: a legacy font types the whole file.)"""
    sample = text[:20_000]
    letters = len(_LETTER.findall(sample))
    odd = len(_LEGACY.findall(sample))
    return letters > 0 and odd * 50 > letters


def inspect_file(path: str, full: str, cache: AttachmentCache) -> tuple[str, Attachment, bool]:
    """The file docs/`path`, at `full` on disk, through `cache`: (its cache key, its result,
    whether it was inspected now). A file over FILE_LIMIT is refused unread."""
    size = os.path.getsize(full)
    if size > FILE_LIMIT:
        problem = f"tệp lớn hơn {FILE_LIMIT // 2**20} MB; hãy nén hoặc chia nhỏ"
        return "", Attachment(path, "", size, "", problem=problem), False
    with open(full, "rb") as f:
        return cache.inspect(path, f.read())


class AttachmentCache:
    """Results by content hash, kept between builds in the cache folder."""

    VERSION = "1"

    def __init__(self) -> None:
        self._known: dict[str, Attachment] = {}

    def inspect(self, path: str, raw: bytes) -> tuple[str, Attachment, bool]:
        """The file's cache key, its result and whether it was inspected now. Does not remember a
        new result: a forked worker calls this, its parent `remember`s."""
        key = hashlib.sha1(raw).hexdigest() + Path(path).suffix.lower()  # the same bytes as .pdf and .doc differ
        known = self._known.get(key)
        if known is not None:
            return key, (known if known.path == path else dataclasses.replace(known, path=path)), False
        return key, inspect(path, raw, key[:40]), True

    def remember(self, key: str, attachment: Attachment) -> None:
        self._known[key] = attachment

    def load(self, path: Path) -> None:
        self._known.update(load_kept(path, self.VERSION))

    def save(self, path: Path, used: set[str]) -> None:
        """Keep the results of the files of this build (`used`: their content hashes)."""
        keep(path, self.VERSION, {key: a for key, a in self._known.items() if key[:40] in used})
