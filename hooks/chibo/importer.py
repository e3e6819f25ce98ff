"""`chibo import`: pages saved from the old Joomla site -> article files.

Two kinds of input: a saved HTML page (Joomla 3 article markup: schema.org `Article`
microdata, `itemprop="headline"`, `articleBody`, `datePublished`, the category in
`.category-name`), or a text copy of a page (category on the first line, then the
title, the byline "Bài viết: …" at the end). Only the article is kept: menus, the
star-rating widget, sidebar boxes, the visitor counter and the footer are dropped.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from bs4 import BeautifulSoup
from markdownify import markdownify

from .articles import parse_date
from .config import PortalConfig
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
    for previous, block in zip(blocks, blocks[1:], strict=False):
        # the items of a list stay together; everything else is separated by a blank line
        body += ("\n" if previous.startswith("- ") and block.startswith("- ") else "\n\n") + block
    return Imported(title=title, category=category, body=body.strip() + "\n", author=author)


def parse_html(html: str) -> Imported:
    soup = BeautifulSoup(html, "html.parser")
    root = soup.select_one('[itemtype*="schema.org/Article"]') or soup
    headline = root.select_one("[itemprop=headline]")
    body = root.select_one("[itemprop=articleBody]")
    if headline is None or body is None or not headline.get_text(strip=True):
        raise NotAnArticle('không phải trang bài viết (thiếu itemprop="headline" hoặc itemprop="articleBody")')
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
    for selector in _DROP_SELECTORS:
        for tag in body.select(selector):
            tag.decompose()
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
    images = []
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
    name = Path(unquote(urlsplit(src).path)).name or f"anh-{number}.jpg"
    stem, dot, ext = name.rpartition(".")
    return f"{slugify(stem) or f'anh-{number}'}.{ext.lower()}" if dot else f"{slugify(name) or f'anh-{number}'}.jpg"


@dataclass
class Outcome:
    written: Path | None = None
    problems: list[str] = field(default_factory=list)  # reported, the file is still written
    skipped: str = ""  # why nothing was written


def import_page(source: Path, articles_dir: Path, config: PortalConfig, default_date: str = "") -> Outcome:
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
    parsed = parse_date(page.date) if page.date else None
    if parsed is None and page.date:
        parsed = _loose_date(page.date)
    draft = False
    if parsed is None and default_date:
        parsed = parse_date(default_date)
    if parsed is None:
        from .catalog import now_in_vietnam

        parsed = (now_in_vietnam().replace(second=0, microsecond=0), True)
        draft = True
        outcome.problems.append(
            "trang không ghi ngày đăng: bài được để draft: true với ngày hôm nay; hãy sửa date rồi xoá dòng draft"
        )
    moment, has_time = parsed
    slug = slugify(page.title)
    folder = articles_dir / f"{moment:%Y}"
    target = folder / f"{slug}.md"
    if target.exists():
        return Outcome(skipped=f"đã có tệp {target.name}: không ghi đè")
    meta: dict[str, object] = {
        "title": page.title,
        "date": f"{moment:%Y-%m-%d %H:%M}" if has_time else f"{moment:%Y-%m-%d}",
        "category": category.name,
    }
    if page.author:
        meta["author"] = page.author
    if draft:
        meta["draft"] = True
    body = page.body
    if page.images:
        image_dir = folder / slug
        for src, name in page.images:
            body = body.replace(f"]({name})", f"]({slug}/{name})")
            local = (source.parent / unquote(urlsplit(src).path)).resolve() if not urlsplit(src).scheme else None
            if local is not None and local.is_file():
                image_dir.mkdir(parents=True, exist_ok=True)
                if not (image_dir / name).exists():
                    shutil.copyfile(local, image_dir / name)
            else:
                outcome.problems.append(f"chưa chép được ảnh {src}: hãy đặt ảnh tại {(image_dir / name).as_posix()}")
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    folder.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as f:  # "x": never overwrite, even in a race
        f.write(f"---\n{front}---\n\n{body}")
    outcome.written = target
    return outcome


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
