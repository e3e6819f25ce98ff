"""`chibo import`: pages saved from the old Joomla site -> article files.

Two kinds of input: a saved HTML page (Joomla 3 article markup: schema.org `Article`
microdata, `itemprop="headline"`, `articleBody`, `datePublished`, the category in
`.category-name`), or a text copy of a page (category on the first line, then the
title, the byline "Bài viết: …" at the end). Only the article is kept: menus, the
star-rating widget, sidebar boxes, the visitor counter and the footer are dropped.
"""

from __future__ import annotations

import base64
import io
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import nh3
import yaml
from bs4 import BeautifulSoup
from markdownify import MarkdownConverter
from PIL import Image

from .config import PortalConfig
from .fields import parse_date
from .text import nfc, slugify

# "Ngôi sao không hiệu lực" / "Ngôi sao hiệu lực": the rating widget's text, in any repetition.
_STARS = re.compile(r"^(\s*Ngôi sao (không )?hiệu lực\s*)+$", re.IGNORECASE)
_BYLINE = re.compile(r"^\s*(Bài viết|Bài và ảnh|Tác giả|Tin, ảnh)\s*[:;]\s*(.+?)\s*$", re.IGNORECASE)
# The solutions of an article are announced like this: they become its headings.
_ORDINAL = re.compile(
    r"^(Trước hết|Thứ nhất|Thứ hai|Thứ ba|Thứ tư|Thứ năm|Một là|Hai là|Ba là|Bốn là|Năm là|Sáu là|Cuối cùng)\b"
)
# A stray token from the old editor, e.g. "tram22kjnfnafk": letters and digits, no space.
_JUNK = re.compile(r"^(?=[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{8,}$")
_DROP_SELECTORS = (
    "script",
    "style",
    "noscript",
    "iframe",
    "form",
    "nav",
    ".content_rating",
    ".content_vote",
    ".icons",
    ".pagenav",
    ".article-info",
    ".page-header",
    "[itemprop=headline]",
    ".category-name",
    ".rating",
)
IMPORTABLE = (".html", ".htm", ".txt")


class NotAnArticle(Exception):
    """The page cannot be read as an article; nothing is written for it."""


@dataclass
class Imported:
    title: str
    category: str
    body: str  # Markdown
    date: str = ""  # as found, validated by parse_date
    author: str = ""
    images: list[tuple[str, str]] = field(default_factory=list)  # (src in the page, file name in the article folder)


def parse_text(text: str) -> Imported:
    content = [line.strip() for line in nfc(text).replace("\r\n", "\n").split("\n")]
    nonempty = [i for i, line in enumerate(content) if line]
    if len(nonempty) < 3:
        raise NotAnArticle("quá ngắn: cần dòng chuyên mục, dòng tiêu đề và nội dung")
    category, title = content[nonempty[0]], content[nonempty[1]]
    author, blocks = "", []
    paragraph: list[str] = []
    for line in content[nonempty[1] + 1 :]:
        if (m := _BYLINE.match(line)) is not None:
            author = m.group(2)
            break  # the sidebar, counter and footer follow the byline
        if not line or _STARS.match(line) or _JUNK.match(line):
            if paragraph:
                blocks.append(" ".join(paragraph))
                paragraph = []
            continue
        if line.startswith(("- ", "– ", "+ ", "• ")):
            if paragraph:
                blocks.append(" ".join(paragraph))
                paragraph = []
            item = line[2:].strip()
            blocks.append(f"## {item.rstrip('.;:')}" if _ORDINAL.match(item) else f"- {item}")
            continue
        paragraph.append(line)
    if paragraph:
        blocks.append(" ".join(paragraph))
    if not blocks:
        raise NotAnArticle("không có đoạn văn nào sau tiêu đề")
    body = blocks[0]
    for previous, block in itertools.pairwise(blocks):
        # the items of a list stay together; everything else is separated by a blank line
        body += ("\n" if previous.startswith("- ") and block.startswith("- ") else "\n\n") + block
    return Imported(title=title, category=category, body=body.strip() + "\n", author=author)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """data: addresses only as an image's source (a pasted photo); never as a link."""
    if value.strip().lower().startswith("data:"):
        return (
            value if tag == "img" and attribute == "src" and value.strip().lower().startswith("data:image/") else None
        )
    return value


def sanitise(html: str) -> str:
    """The article's HTML through nh3 (Ammonia's rules): scripts, event handlers and
    javascript:, vbscript: and data: links go; text, headings, lists, tables and images stay."""
    return nh3.clean(
        html,
        url_schemes={"http", "https", "mailto", "tel", "data"},
        attribute_filter=_keep_attribute,
        link_rel=None,
    )


class _Converter(MarkdownConverter):  # type: ignore[misc]
    """markdownify, with text that looks like markup kept as text: the old page showed
    "&lt;script&gt;" as words, and Markdown must not read them as a tag."""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        escaped: str = super().escape(text, parent_tags)  # type: ignore[misc]  # not in markdownify's stubs
        return escaped.replace("&", "&amp;").replace("<", "&lt;")


def markdownify(html: str, **options: Any) -> str:
    return _Converter(**options).convert(html)


def markdownify_soup(soup: Any, **options: Any) -> str:
    """The same, from a tree already parsed (no second parse)."""
    return str(_Converter(**options).convert_soup(soup))


def _page_facts(root: Any) -> tuple[str, str, str]:
    """The category, date and author a saved article page shows beside the article."""
    category_tag = root.select_one(".category-name")
    category = category_tag.get_text(" ", strip=True) if category_tag else ""
    category = re.sub(r"^(Danh mục|Chuyên mục|Category)\s*:\s*", "", category, flags=re.IGNORECASE)
    date_tag = root.select_one("[itemprop=datePublished]")
    date = ""
    if date_tag is not None:
        date = str(date_tag.get("datetime") or date_tag.get("content") or date_tag.get_text(" ", strip=True))
        date = re.sub(r"^(Ngày đăng|Đăng ngày|Published)\s*:\s*", "", date, flags=re.IGNORECASE).strip()
    author_tag = root.select_one("[itemprop=author]")
    author = author_tag.get_text(" ", strip=True) if author_tag else ""
    author = re.sub(r"^(Viết bởi|Written by)\s*", "", author, flags=re.IGNORECASE)
    return category, date, author


def parse_html(html: str) -> Imported:
    soup = BeautifulSoup(html, "html.parser")
    root = soup.select_one('[itemtype*="schema.org/Article"]') or soup
    headline = root.select_one("[itemprop=headline]")
    body = root.select_one("[itemprop=articleBody]")
    if headline is None or body is None or not headline.get_text(strip=True):
        raise NotAnArticle('không phải trang bài viết (thiếu itemprop="headline" hoặc itemprop="articleBody")')
    category, date, author = _page_facts(root)
    for selector in _DROP_SELECTORS:
        for tag in body.select(selector):
            tag.decompose()
    body = BeautifulSoup(sanitise(str(body)), "html.parser")
    # The byline at the end of the body becomes the author, not a paragraph.
    for paragraph in reversed(body.find_all("p")):
        text = paragraph.get_text(" ", strip=True)
        if not text:
            continue
        if (m := _BYLINE.match(text)) is not None:
            author = author or m.group(2)
            paragraph.decompose()
        break
    for paragraph in body.find_all("p"):
        text = paragraph.get_text(" ", strip=True)
        if _STARS.match(text) or _JUNK.match(text):
            paragraph.decompose()
    images: list[tuple[str, str]] = []
    for img in body.find_all("img"):
        src = str(img.get("src") or "")
        if not src:
            img.decompose()
            continue
        name = _image_name(src, len(images) + 1)
        images.append((src, name))
        img["src"] = name
    markdown = markdownify(str(body), heading_style="ATX", bullets="-", strip=["span", "div", "font"])
    markdown = re.sub(r"\n{3,}", "\n\n", markdown).strip()
    if not markdown:
        raise NotAnArticle("phần nội dung (articleBody) trống")
    return Imported(
        title=" ".join(headline.get_text(" ", strip=True).split()),
        category=category,
        body=nfc(markdown) + "\n",
        date=date,
        author=author,
        images=images,
    )


def _image_name(src: str, number: int) -> str:
    if src.lower().startswith("data:"):  # a pasted image: named by its place and type
        kind = re.match(r"data:image/([a-z0-9]+)", src.lower())
        ext = {"jpeg": "jpg", "svg": "svg"}.get(kind.group(1), kind.group(1)) if kind else "jpg"
        return f"anh-{number}.{ext}"
    name = Path(unquote(urlsplit(src).path)).name or f"anh-{number}.jpg"
    stem, dot, ext = name.rpartition(".")
    return f"{slugify(stem) or f'anh-{number}'}.{ext.lower()}" if dot else f"{slugify(name) or f'anh-{number}'}.jpg"


@dataclass
class Outcome:
    written: Path | None = None
    problems: list[str] = field(default_factory=list)  # reported, the file is still written
    skipped: str = ""  # why nothing was written


def import_page(
    source: Path, articles_dir: Path, config: PortalConfig, default_date: str = "", site_root: Path | None = None
) -> Outcome:
    """Convert one saved page into an article file under `articles_dir`; never overwrites."""
    try:
        raw = source.read_bytes().decode("utf-8-sig", errors="replace")
        page = parse_text(raw) if source.suffix.lower() == ".txt" else parse_html(raw)
    except NotAnArticle as exc:
        return Outcome(skipped=str(exc))
    except (OSError, ValueError) as exc:
        return Outcome(skipped=f"không đọc được tệp ({exc})")
    outcome = Outcome()
    category = config.find_category(page.category) if page.category else None
    if category is None:
        return Outcome(
            skipped=f'chuyên mục "{page.category}" không có trong mkdocs.yml; hãy thêm chuyên mục hoặc sửa trang. '
            f"Các chuyên mục: {config.category_names}"
        )
    (moment, has_time), draft = _page_date(page.date, default_date, outcome)
    meta: dict[str, object] = {
        "title": page.title,
        "date": f"{moment:%Y-%m-%d %H:%M}" if has_time else f"{moment:%Y-%m-%d}",
        "category": category.name,
    }
    slug = slugify(page.title)
    if not slug:
        # a title with no letter or digit ("!!!"): a visible name of its own, kept as the URL too
        slug = f"bai-{moment:%Y%m%d-%H%M}"
        meta["slug"] = slug
        outcome.problems.append(f"tiêu đề không có chữ hay số: tệp và đường dẫn đặt tên {slug}; hãy sửa tiêu đề")
    folder = articles_dir / f"{moment:%Y}"
    target = folder / f"{slug}.md"
    if target.exists():
        return Outcome(skipped=f"đã có tệp {target.name}: không ghi đè")
    if page.author:
        meta["author"] = page.author
    if draft:
        meta["draft"] = True
    body = _copy_images(page, source, folder / slug, slug, site_root, outcome)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    folder.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
        f.write(f"---\n{front}---\n\n{body}")
    outcome.written = target
    return outcome


def _page_date(written: str, default_date: str, outcome: Outcome) -> tuple[tuple[Any, bool], bool]:
    """(moment, whether a time was given) and whether the article must wait as a draft: the
    page's date, else `--date`, else now (and a draft, said in the outcome)."""
    parsed = parse_date(written) if written else None
    if parsed is None and written:
        parsed = _loose_date(written)
    if parsed is None and default_date:
        parsed = parse_date(default_date)
    if parsed is not None:
        return parsed, False
    from .catalog import now_in_vietnam

    outcome.problems.append(
        "trang không ghi ngày đăng: bài được để draft: true với ngày hôm nay; hãy sửa date rồi xoá dòng draft"
    )
    return (now_in_vietnam().replace(second=0, microsecond=0), True), True


def _copy_images(
    page: Imported, source: Path, image_dir: Path, slug: str, site_root: Path | None, outcome: Outcome
) -> str:
    """The body with its photos pointing into the article's folder, where they are copied."""
    body = page.body
    for src, name in page.images:
        body = body.replace(f"]({name})", f"]({slug}/{name})")
        data, problem = _image_bytes(src, source, site_root)
        if data is None:
            outcome.problems.append(
                f"chưa chép được ảnh {src} ({problem}): hãy đặt ảnh tại {(image_dir / name).as_posix()}"
            )
            continue
        image_dir.mkdir(parents=True, exist_ok=True)
        if not (image_dir / name).exists():
            (image_dir / name).write_bytes(data)
    return body


def _image_bytes(src: str, page: Path, site_root: Path | None) -> tuple[bytes | None, str]:
    """The bytes of an image the page shows, only from where they may come: beside the saved
    page (its folder, after resolving ".." and links), Joomla's "/images/…" under the
    `site_root` the user named, or a data: address; and only if they really are an image."""
    parts = urlsplit(src)
    if parts.scheme == "data":
        try:
            header, _, payload = src.partition(",")
            data = base64.b64decode(payload, validate=True) if header.endswith(";base64") else unquote(payload).encode()
        except ValueError:
            return None, "dữ liệu ảnh hỏng"
    elif parts.scheme or parts.netloc:
        return None, "ảnh trên mạng, không tải về"
    else:
        path = unquote(parts.path)
        if path.startswith("/"):
            if site_root is None:
                return None, "đường dẫn tính từ gốc trang cũ: hãy thêm --site-root <thư mục bản sao trang cũ>"
            allowed = site_root.resolve()
        else:
            allowed = page.parent.resolve()
        local = (allowed / path.lstrip("/")).resolve()
        if not local.is_relative_to(allowed):
            return None, f"nằm ngoài thư mục {allowed}"
        if not local.is_file():
            return None, "không tìm thấy tệp"
        data = local.read_bytes()
    if not is_image(data):
        return None, "không phải tệp ảnh"
    return data, ""


def is_image(data: bytes) -> bool:
    """Whether Pillow reads the bytes as a raster image (by content, not by name)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        return True
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for "not an image"
        return False


def _loose_date(text: str) -> tuple | None:
    """Joomla dates such as '2023-11-30T08:30:00+07:00' or 'Thứ Năm, 30 Tháng 11 2023 08:30'."""
    if m := re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})", text):
        return parse_date(f"{m.group(1)} {m.group(2)}")
    if m := re.search(r"(\d{1,2})\s+Tháng\s+(\d{1,2})\s+(\d{4})(?:\s+(\d{1,2}:\d{2}))?", text, re.IGNORECASE):
        day, month, year, hour = m.groups()
        return parse_date(f"{day}/{month}/{year}" + (f" {hour}" if hour else ""))
    if m := re.search(r"(\d{1,2}/\d{1,2}/\d{4})(?:\s+(\d{1,2}:\d{2}))?", text):
        return parse_date(m.group(1) + (f" {m.group(2)}" if m.group(2) else ""))
    return None


def pages_in(paths: list[Path]) -> list[Path]:
    """The files to import: each file given, and the importable files of each folder."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMPORTABLE)
        else:
            found.append(path)
    return found
