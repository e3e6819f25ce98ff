"""Article bodies through Python-Markdown, with the site's extensions and the portal's
links, photos, figures and galleries."""

from __future__ import annotations

import hashlib
import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .images import Picture
from .library import link_mentions
from .links import MARKDOWN_IMAGE, candidates, relative_url
from .sanitise import POLICY, Removed, sanitise


@dataclass(frozen=True)
class Body:
    html: str
    toc: list[dict[str, Any]]
    unresolved: tuple[str, ...]  # relative links that point at no file
    removed: tuple[Removed, ...] = ()  # what the sanitiser dropped (script, on… attributes, …)


# Article column: the full width of a phone, about 720 px beside the sidebar on a computer.
BODY_SIZES = "(min-width: 76.25em) 720px, (min-width: 60em) 70vw, 100vw"


def _srcset(picture: Picture, page_url: str) -> str:
    """The AVIF variants, for a <picture>'s AVIF <source>."""
    return ", ".join(f"{relative_url(v.path, page_url)} {v.width}w" for v in picture.variants)


def _picture_html(picture: Picture, page_url: str, sizes: str, attrs: str) -> str:
    default = picture.default
    return (
        f'<picture><source type="image/avif" srcset="{_srcset(picture, page_url)}" sizes="{sizes}">'
        f'<img src="{relative_url(default.path, page_url)}" width="{default.width}" height="{default.height}" '
        f"{attrs}></picture>"
    )


class _Links(Treeprocessor):
    """Rewrite relative links and image sources the way MkDocs does: from the source file's
    folder to the page's URL, `.md` targets to their pages; a processed photo becomes its
    variants (an AVIF `srcset` for the <picture> that _Figures wraps it in, `sizes`, `width`,
    `height`), lazy below the fold."""

    def __init__(self, md: markdown.Markdown, state: _LinkState):
        super().__init__(md)
        self.state = state

    def run(self, root: ET.Element) -> None:
        for element in root.iter():
            if element.tag == "img" and (picture := self.state.picture(element.get("src") or "")) is not None:
                self._picture(element, picture)
                continue
            attr = (
                "href" if element.tag == "a" else "src" if element.tag in ("img", "source", "video", "audio") else None
            )
            value = element.get(attr) if attr else None
            if attr and value:
                element.set(attr, self.state.rewrite(value))

    def _picture(self, element: ET.Element, picture: Picture) -> None:
        state = self.state
        default = picture.default
        element.set("src", relative_url(default.path, state.page_url))
        element.set("data-portal-avif", _srcset(picture, state.page_url))
        element.set("sizes", BODY_SIZES)
        element.set("width", str(default.width))
        element.set("height", str(default.height))
        if state.eager_first:
            state.eager_first = False  # the page's first large image: the browser fetches it first
            element.set("fetchpriority", "high")
        else:
            element.set("loading", "lazy")
        element.set("decoding", "async")
        # for the gallery viewer: the largest variant and its size
        element.set("data-portal-full", relative_url(picture.largest.path, state.page_url))
        element.set("data-portal-size", f"{picture.largest.width}x{picture.largest.height}")


_PAGE_IMG_SRC = re.compile(r"""(<img\b[^<>]*?\bsrc\s*=\s*["'])([^"'<>]+)(["'])""", re.IGNORECASE)


def page_images(markdown: str, src_uri: str, page_url: str, pictures: dict[str, Picture]) -> str:
    """An ordinary page's photos (Markdown images and <img src>) as their variants, before
    MkDocs renders the page: its original stays off the site."""
    if not pictures:
        return markdown

    def picture_of(target: str) -> Picture | None:
        return next((pictures[c] for c in candidates(src_uri, target) if c in pictures), None)

    def image(match: re.Match[str]) -> str:
        alt, target, title = match.groups()
        if (picture := picture_of(target)) is None:
            return match.group(0)
        title_attr = f' title="{html.escape(title)}"' if title else ""
        return _picture_html(
            picture, page_url, BODY_SIZES, f'alt="{html.escape(alt)}"{title_attr} loading="lazy" decoding="async"'
        )

    def img_src(match: re.Match[str]) -> str:
        picture = picture_of(match.group(2))
        return (
            match.group(0)
            if picture is None
            else match.expand(rf"\g<1>{relative_url(picture.default.path, page_url)}\3")
        )

    return _PAGE_IMG_SRC.sub(img_src, MARKDOWN_IMAGE.sub(image, markdown))


class _Figures(Treeprocessor):
    """A photo with a title (`![mô tả](anh.jpg "Chú thích")`) becomes a figure with its
    caption; two or more photos in a row (one paragraph, or paragraphs of photos only)
    become a gallery that opens in a full-screen viewer."""

    def run(self, root: ET.Element) -> None:
        for parent in list(root.iter()):
            children = list(parent)
            groups: list[list[ET.Element]] = []
            for child in children:
                if _only_photos(child):
                    if groups and groups[-1] and children.index(groups[-1][-1]) == children.index(child) - 1:
                        groups[-1].append(child)
                    else:
                        groups.append([child])
            for group in groups:
                photos = [img for p in group for img in p if img.tag == "img"]
                if len(photos) >= 2:
                    self._replace(parent, group, _gallery(photos))
                elif photos[0].get("title"):
                    self._replace(parent, group, _figure(photos[0], link=False))
        for img in root.iter("img"):  # the viewer's notes, on photos outside a gallery
            img.attrib.pop("data-portal-full", None)
            img.attrib.pop("data-portal-size", None)
        # each processed photo in a <picture>: AVIF where the browser shows it, else the WebP
        for parent in [p for p in root.iter() if any(c.get("data-portal-avif") for c in p)]:
            for index, img in enumerate(list(parent)):
                if srcset := img.attrib.pop("data-portal-avif", ""):
                    picture = ET.Element("picture")
                    picture.tail, img.tail = img.tail, None
                    ET.SubElement(
                        picture, "source", {"type": "image/avif", "srcset": srcset, "sizes": img.attrib.pop("sizes")}
                    )
                    parent.remove(img)
                    picture.append(img)
                    parent.insert(index, picture)

    @staticmethod
    def _replace(parent: ET.Element, group: list[ET.Element], new: ET.Element) -> None:
        index = list(parent).index(group[0])
        new.tail = group[-1].tail
        for old in group:
            parent.remove(old)
        parent.insert(index, new)


def _only_photos(element: ET.Element) -> bool:
    """A paragraph holding nothing but processed photos."""
    if element.tag != "p" or (element.text or "").strip() or not len(element):
        return False
    return all(c.tag == "img" and c.get("data-portal-full") and not (c.tail or "").strip() for c in element)


def _figure(img: ET.Element, link: bool) -> ET.Element:
    figure = ET.Element("figure", {"class": "portal-figure"})
    caption = img.attrib.pop("title", "")
    full, size = img.attrib.pop("data-portal-full", ""), img.attrib.pop("data-portal-size", "")
    img.tail = None
    if link:
        width, _, height = size.partition("x")
        label = f"Xem ảnh lớn: {img.get('alt') or caption or 'ảnh'}"
        anchor = ET.SubElement(
            figure,
            "a",
            {"href": full, "data-pswp-width": width, "data-pswp-height": height, "aria-label": label},
        )
        anchor.append(img)
    else:
        figure.append(img)
    if caption:
        ET.SubElement(figure, "figcaption").text = caption
    return figure


def _gallery(photos: list[ET.Element]) -> ET.Element:
    gallery = ET.Element("div", {"class": "portal-gallery"})
    for img in photos:
        img.set("sizes", "(min-width: 60em) 240px, 45vw")  # two columns on a phone
        gallery.append(_figure(img, link=True))
    return gallery


@dataclass
class _LinkState:
    targets: Mapping[str, str]  # source path -> site path, for every file of the site
    pictures: Mapping[str, Picture] = field(default_factory=dict)  # docs path -> processed photo
    src_path: str = ""
    page_url: str = ""
    eager_first: bool = False
    unresolved: list[str] = field(default_factory=list)

    def picture(self, value: str) -> Picture | None:
        if not self.pictures or value.startswith("/"):
            return None
        return next((self.pictures[c] for c in candidates(self.src_path, value) if c in self.pictures), None)

    def rewrite(self, value: str) -> str:
        paths = candidates(self.src_path, value)
        if not paths or value.startswith("/"):
            return value  # a web address or anchor; from the site's root: left as written, as MkDocs does
        site_path = next((self.targets[c] for c in paths if c in self.targets), None)
        if site_path is None:
            self.unresolved.append(value)
            return value
        parts = urlsplit(value)
        url = relative_url(site_path, self.page_url)
        if parts.query:
            url += "?" + parts.query
        if parts.fragment:
            url += "#" + parts.fragment
        return url


class _LinkExtension(Extension):
    def __init__(self, state: _LinkState):
        super().__init__()
        self.state = state

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        md.treeprocessors.register(_Links(md, self.state), "portal_links", 0)
        md.treeprocessors.register(_Figures(md), "portal_figures", -1)


# Python-Markdown's own inline patterns, and the characters without which none of them can
# match (plus the placeholders of stashed HTML and the two-space line break).
_KNOWN_INLINE = {
    "backtick", "escape", "reference", "link", "image_link", "image_reference", "short_reference",
    "short_image_ref", "autolink", "automail", "linebreak", "html", "entity", "not_strong",
    "em_strong", "em_strong2", "strong_em",
}  # fmt: skip
_INLINE_TRIGGER = re.compile(r"[`\\\[<&*_\x02\x03]|  \n")


def _safe_treeprocessors() -> dict[str, type]:
    """The tree steps known not to look at text that the shortcut marks as done (an atomic
    string): Python-Markdown's own, toc, attr_list and the portal's. Any other (abbr, smarty,
    pymdownx.smartsymbols, legacy_attrs, …) works on that text, so the shortcut steps aside."""
    from markdown.extensions.attr_list import AttrListTreeprocessor
    from markdown.extensions.toc import TocTreeprocessor
    from markdown.treeprocessors import InlineProcessor, PrettifyTreeprocessor, UnescapeTreeprocessor

    return {
        "inline": InlineProcessor,
        "prettify": PrettifyTreeprocessor,
        "unescape": UnescapeTreeprocessor,
        "toc": TocTreeprocessor,
        "attr_list": AttrListTreeprocessor,
        "portal_plain_text": _PlainText,
        "portal_links": _Links,
        "portal_figures": _Figures,
    }


def _only_known(registry: Any, known: Mapping[str, type | None]) -> bool:
    """Whether every item of a Python-Markdown registry is a known one (by name and class)."""
    present = [name for name in known if name in registry]
    return len(present) == len(registry) and all(
        known[name] is None or type(registry[name]) is known[name] for name in present
    )


class _PlainText(Treeprocessor):
    """Mark text that no inline pattern can match as already processed.

    Python-Markdown tries every inline pattern on every text node, which is most of its time
    on plain Vietnamese prose; a paragraph without any of the patterns' characters comes out
    the same without that work. On only while every tree step, inline pattern and emphasis
    delimiter in use is a known one: an extension that adds its own turns it off.
    """

    def run(self, root: ET.Element) -> None:
        md = self.md
        delimiters = getattr(md, "delimiters", None)  # Markdown 3.11: extensions may add "~" and others
        if (
            not _only_known(md.inlinePatterns, dict.fromkeys(_KNOWN_INLINE))
            or not _only_known(md.treeprocessors, _SAFE_TREEPROCESSORS)
            or (delimiters is not None and not set(delimiters.tokens) <= {"*", "_"})
        ):
            return
        trigger = _INLINE_TRIGGER.search
        for element in root.iter():
            text, tail = element.text, element.tail
            if text and not trigger(text):
                element.text = AtomicString(text)
            if tail and not trigger(tail):
                element.tail = AtomicString(tail)


_SAFE_TREEPROCESSORS: dict[str, type] = {}


class _PlainTextExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        if not _SAFE_TREEPROCESSORS:
            _SAFE_TREEPROCESSORS.update(_safe_treeprocessors())
        # just before "inline" (20)
        md.treeprocessors.register(_PlainText(md), "portal_plain_text", 20.5)


def _stable(value: object) -> str:
    """An option's value the same in every process: a function (toc's slugify) by its name, not
    by its address in memory."""
    name = getattr(value, "__qualname__", None)
    return f"{getattr(value, '__module__', '')}.{name}" if name else repr(value)


class BodyConverter:
    """Article bodies to HTML with the site's Markdown extensions and the portal's links and
    photos, for one build. `key` names exactly what a body depends on, so that a page's parts
    can be found again without converting it."""

    def __init__(
        self,
        targets: Mapping[str, str],
        extensions: list[Any],
        configs: dict[str, dict[str, Any]],
        pictures: Mapping[str, Picture] | None = None,
        mentions: Mapping[str, tuple[tuple[str, str], ...]] | None = None,
    ) -> None:
        self.state = _LinkState(targets, pictures or {})
        self.mentions = mentions or {}  # article -> (document number's key, document URL) it names
        self.extensions, self.configs = extensions, configs
        # the extensions' options too: changing one while `mkdocs serve` runs re-renders every body
        self.options = hashlib.sha1(
            repr((extensions, json.dumps(configs, sort_keys=True, default=_stable), POLICY)).encode()
        ).hexdigest()
        self._md: markdown.Markdown | None = None

    def key(self, src_path: str, content_hash: str, targets: Iterable[str], page_url: str, eager: bool) -> str:
        """The body's inputs: its text (by hash), where each of its links and photos leads, its
        address and whether its first photo is the page's first."""
        state = self.state
        resolved = []
        for target in targets:
            paths = candidates(src_path, target)
            site = next((state.targets[c] for c in paths if c in state.targets), None)
            picture = next((state.pictures[c] for c in paths if c in state.pictures), None)
            resolved.append((target, site, picture))
        mentions = self.mentions.get(src_path, ())
        return hashlib.sha1(
            repr((self.options, content_hash, page_url, eager, resolved, mentions)).encode()
        ).hexdigest()

    def convert(self, src_path: str, page_url: str, text: str, eager: bool) -> Body:
        state = self.state
        if self._md is None:
            self._md = markdown.Markdown(
                extensions=[*self.extensions, _PlainTextExtension(), _LinkExtension(state)],
                extension_configs=self.configs,
            )
        state.src_path, state.page_url, state.unresolved, state.eager_first = src_path, page_url, [], eager
        self._md.reset()
        html, removed = sanitise(self._md.convert(text))
        if mentions := self.mentions.get(src_path):
            html = link_mentions(html, dict(mentions), page_url)
        return Body(html, list(getattr(self._md, "toc_tokens", [])), tuple(state.unresolved), tuple(removed))
