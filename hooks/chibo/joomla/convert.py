"""One Joomla article -> the front matter and Markdown body of an article file.

The body is the introtext and the fulltext (Joomla shows both on the article's page),
through the same sanitiser and Markdown converter as a saved page (`importer.py`). Module
placeholders (`{loadposition …}`) go, with a warning; links to other articles of the old
site point at their new files; photos and linked files are named for the article's folder
(`migrate.py` copies them from the mirror).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from urllib.parse import parse_qs, unquote, urlsplit

import nh3
from bs4 import BeautifulSoup, Tag

from ..importer import markdownify_soup, sanitise
from ..text import nfc, slugify
from .schema import Article, body_parts

PLACEHOLDER = re.compile(r"\{(loadposition|loadmoduleid|loadmodule)\s+[^}]*\}", re.I)
# files worth carrying over when an article links to them
ATTACHMENTS = frozenset({".pdf", ".doc", ".docx", ".xls", ".xlsx", ".odt", ".ods", ".ppt", ".pptx"})
IMAGES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp"})


@dataclass
class Converted:
    meta: dict[str, object]
    body: str
    files: dict[str, str] = field(default_factory=dict)  # mirror path -> name in the article's folder
    warnings: list[str] = field(default_factory=list)
    dead_links: list[str] = field(default_factory=list)  # old addresses of articles that were not imported


def mirror_path(src: str) -> str | None:
    """The path under the old site's root of a photo or file it served (`images/…`), whatever
    the host in the address; None for what is not the site's own file."""
    parts = urlsplit(html.unescape(src.strip()))
    if parts.scheme not in ("", "http", "https"):
        return None
    path = unquote(parts.path).split("#", 1)[0].lstrip("/")
    if not path or ".." in PurePosixPath(path).parts:
        return None
    if parts.netloc and not path.startswith(("images/", "media/", "files/", "upload")):
        return None  # another site's photo
    return path


def file_name(path: str, taken: set[str]) -> str:
    """A name for the article's folder: the old file's, as a slug, numbered when already taken."""
    name = PurePosixPath(path)
    stem, ext = slugify(name.stem) or "tep", name.suffix.lower()
    candidate, n = f"{stem}{ext}", 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}{ext}"
    taken.add(candidate)
    return candidate


def article_reference(href: str) -> tuple[str, int] | None:
    """("id", 123) for a non-SEF article link, ("path", 0) for a path on the old site; None for
    links elsewhere (another host is kept as it is)."""
    parts = urlsplit(html.unescape(href.strip()))
    if parts.scheme not in ("", "http", "https") or href.startswith("#"):
        return None
    query = parse_qs(parts.query)
    if query.get("option", [""])[0] == "com_content" and query.get("view", ["article"])[0] == "article":
        number = re.match(r"\d+", query.get("id", [""])[0])
        return ("id", int(number.group())) if number else None
    return ("path", 0) if not parts.netloc else None


def convert(
    article: Article,
    meta: dict[str, object],
    prefix: str,
    resolve: Callable[[str], str | None],
) -> Converted:
    """`prefix`: the article's folder as the body names it ("slug/"). `resolve`: an old href -> the relative link to its new file, "" for an article of the
    old site that was not imported, None for anything else."""
    intro, full = body_parts(article)
    out = Converted(meta=dict(meta), body="")
    source = intro + ("\n\n" + full if full.strip() else "")
    if found := sorted({m.group(0) for m in PLACEHOLDER.finditer(source)}):
        out.warnings.append(f"đã bỏ {', '.join(found)} (mô-đun của trang cũ, trang mới không có)")
        source = PLACEHOLDER.sub("", source)
    if full.strip():  # the intro is what listings showed; without a read-more it is the whole text
        out.meta["summary"] = _plain(PLACEHOLDER.sub("", intro))
    elif article.metadesc:
        out.meta["summary"] = nfc(article.metadesc)
    soup = BeautifulSoup(sanitise(source), "html.parser")
    taken: set[str] = set()
    _photo(article, out, taken, prefix)
    for img in soup.find_all("img"):
        path = mirror_path(str(img.get("src") or ""))
        if path is None:
            continue
        img["src"] = prefix + out.files.setdefault(path, file_name(path, taken))
    for link in soup.find_all("a"):
        _link(link, out, taken, prefix, resolve)
    markdown = markdownify_soup(soup, heading_style="ATX", bullets="-", strip=["span", "div", "font"])
    out.body = nfc(re.sub(r"\n{3,}", "\n\n", markdown).strip()) + "\n"
    return out


def _photo(article: Article, out: Converted, taken: set[str], prefix: str) -> None:
    """The article's photo: the full-text image, else the intro image, with their texts."""
    for kind in ("image_fulltext", "image_intro"):
        path = mirror_path(article.images.get(kind, ""))
        if path:
            out.meta["image"] = prefix + out.files.setdefault(path, file_name(path, taken))
            for suffix, key in (("_alt", "image_alt"), ("_caption", "image_caption")):
                if text := nfc(article.images.get(kind + suffix, "").strip()):
                    out.meta[key] = text
            return


def _link(link: Tag, out: Converted, taken: set[str], prefix: str, resolve: Callable[[str], str | None]) -> None:
    href = str(link.get("href") or "")
    path = mirror_path(href)
    if path is not None and PurePosixPath(path).suffix.lower() in ATTACHMENTS | IMAGES:
        link["href"] = prefix + out.files.setdefault(path, file_name(path, taken))
        return
    target = resolve(href)
    if target:
        link["href"] = target
    elif target == "":
        out.dead_links.append(href)
        link.unwrap()  # the text stays, the dead link goes


def _plain(fragment: str) -> str:
    """The words of an HTML fragment (nh3 keeps no tag: no second parse of the tree)."""
    text = html.unescape(nh3.clean(re.sub(r"<(?:br|/p|/h\d|/li|/div)\b[^>]*>", " ", fragment, flags=re.I), tags=set()))
    return nfc(" ".join(text.split()))
