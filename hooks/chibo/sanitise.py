"""What editors write, made safe to publish: HTML that shows but never runs.

Every body (articles and ordinary pages) goes through nh3 with one allowlist: everything the
portal and the usual Markdown extensions produce (figures, <picture>, galleries, tables,
footnotes, abbreviations, admonitions, heading anchors, the table of contents) and nothing
that runs (no <script>, <iframe>, <object>, <embed>, <form>, <style>, no `on…` attribute,
links and sources only http:, https:, mailto:, tel: and relative). nh3 decides; `removed`
only names what it drops, for `chibo check` and the build's log, in Vietnamese.

A YouTube address alone in a paragraph (or a pasted YouTube <iframe>) becomes a box with the
plain link; the site's script turns it into a player only when the reader clicks, so nothing
contacts YouTube before that.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass

import nh3

TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col", "colgroup",
        "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q",
        "rp", "rt", "ruby", "s", "samp", "small", "source", "span", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
        "audio", "video", "track",
    }
)  # fmt: skip
# Removed with what they hold: their text is code, never prose.
_DROPPED_WHOLE = frozenset({"script", "style"})
_EVERYWHERE = frozenset({"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-hidden", "style"})
ATTRIBUTES: dict[str, set[str]] = {
    "*": set(_EVERYWHERE),
    "a": {"href", "hreflang", "rel", "target", "data-pswp-width", "data-pswp-height"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "fetchpriority", "srcset", "sizes"},
    "source": {"src", "srcset", "sizes", "type", "media", "width", "height"},
    "picture": set(),
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "abbr": set(),
    "del": {"datetime"},
    "ins": {"datetime"},
    "details": {"open"},
    "div": {"data-portal-youtube"},
    "video": {"src", "controls", "width", "height", "poster", "preload", "muted", "loop", "playsinline"},
    "audio": {"src", "controls", "preload", "muted", "loop"},
    "track": {"src", "kind", "srclang", "label", "default"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_URL_ATTRIBUTES = ("href", "src", "poster", "cite")
# Python-Markdown's tables align cells with style="text-align: …"; nothing else in a style
# (a background's url() would make readers' browsers call another server).
_STYLES = frozenset({"text-align"})

_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(_DROPPED_WHOLE),
    attributes=ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
    filter_style_properties=set(_STYLES),
)

# Part of every body's key: a change to the rules renders every body again (and cached parts
# from before the change are never used).
POLICY = hashlib.sha1(
    repr(
        (
            sorted(TAGS),
            sorted(_DROPPED_WHOLE),
            sorted((k, sorted(v)) for k, v in ATTRIBUTES.items()),
            sorted(URL_SCHEMES),
            sorted(_STYLES),
        )
    ).encode()
).hexdigest()

# A tag and its attributes, as a browser would read them; linear (no nested repetition).
_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)([^>]*)>")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?""")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")


@dataclass(frozen=True)
class Removed:
    """One thing the sanitiser drops: what to look for in the source, and what to say."""

    needle: str
    message: str


def sanitise(body_html: str) -> tuple[str, list[Removed]]:
    """The HTML safe to publish, and what was dropped from it."""
    body_html = youtube_boxes(body_html)
    return _CLEANER.clean(body_html), removed(body_html) if "<" in body_html else []


def removed(body_html: str) -> list[Removed]:
    """What the sanitiser drops from this HTML, each named once, in the order it appears."""
    found: dict[str, Removed] = {}
    for match in _TAG.finditer(body_html):
        tag = match.group(1).lower()
        if tag not in TAGS:
            if tag not in found:
                found[tag] = Removed(f"<{tag}", f"đã bỏ mã <{tag}> (trang chỉ giữ chữ, ảnh, bảng và liên kết)")
            continue
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        for attribute in _ATTRIBUTE.finditer(match.group(2)):
            name, value = attribute.group(1).lower(), _unquote(attribute.group(2) or "")
            if name not in allowed:
                if name not in found and (name.startswith("on") or name in ("formaction", "srcdoc", "xlink:href")):
                    found[name] = Removed(name, f"đã bỏ thuộc tính {name} của thẻ <{tag}>: trang không chạy mã")
            elif name in _URL_ATTRIBUTES and (scheme := _scheme(value)) and scheme not in URL_SCHEMES:
                key = f"{scheme}:"
                if key not in found:
                    found[key] = Removed(
                        key,
                        f'đã bỏ đường dẫn "{scheme}:…" của thẻ <{tag}>: chỉ nhận địa chỉ http:, https:, '
                        "mailto:, tel: hoặc đường dẫn tới tệp trong trang",
                    )
    return list(found.values())


def _unquote(value: str) -> str:
    if value[:1] in ('"', "'"):
        value = value[1:-1]
    return html.unescape(value)


def _scheme(value: str) -> str:
    # browsers ignore tabs and line breaks inside a scheme ("java\tscript:")
    match = _SCHEME.match(re.sub(r"[\t\n\r]", "", value))
    return match.group(1).lower() if match else ""


# -- YouTube ---------------------------------------------------------------------------------

_VIDEO_ID = r"([A-Za-z0-9_-]{11})"
_YOUTUBE_URL = (
    r"https?://(?:www\.|m\.)?(?:youtube\.com/watch\?(?:[^\s\"'<>]*?&(?:amp;)?)?v=|youtu\.be/|youtube\.com/shorts/)"
    + _VIDEO_ID
    + r"[^\s\"'<>]*"
)
# a paragraph holding only the address (as text or as a link whose text is anything)
_YOUTUBE_PARAGRAPH = re.compile(
    rf"<p>\s*(?:<a href=\"{_YOUTUBE_URL}\"[^>]*>([^<]*)</a>|{_YOUTUBE_URL})\s*</p>", re.IGNORECASE
)
_YOUTUBE_IFRAME = re.compile(
    r"<iframe\b[^>]*?\bsrc=[\"']https?://(?:www\.)?youtube(?:-nocookie)?\.com/embed/"
    + _VIDEO_ID
    + r"[^\"']*[\"'][^>]*>\s*(?:</iframe>)?",
    re.IGNORECASE,
)


def video_box(video: str, text: str = "") -> str:
    """The click-to-play box: a plain link to the video until the reader asks for the player."""
    href = f"https://www.youtube.com/watch?v={video}"
    label = html.escape(text.strip()) if text.strip() else "Xem video trên YouTube"
    return f'<div class="portal-video" data-portal-youtube="{video}"><p><a href="{href}">{label}</a></p></div>'


def youtube_boxes(body_html: str) -> str:
    if "youtu" not in body_html:
        return body_html

    def paragraph(match: re.Match[str]) -> str:
        linked, text, bare = match.group(1), match.group(2), match.group(3)
        return video_box(linked or bare, html.unescape(text or ""))

    body_html = _YOUTUBE_PARAGRAPH.sub(paragraph, body_html)
    return _YOUTUBE_IFRAME.sub(lambda m: video_box(m.group(1)), body_html)


def located(text: str, found: list[Removed]) -> list[tuple[int, str]]:
    """Each removal with the line of the file `text` where its mark first appears after the
    front matter (line 1 when it cannot be told, as for a link written in Markdown's words)."""
    lowered = text.lower()
    start = lowered.find("\n---", 3) + 4 if lowered.startswith("---") else 0
    out = []
    for item in found:
        at = lowered.find(item.needle.lower(), start)
        out.append((lowered.count("\n", 0, at) + 1 if at >= 0 else 1, item.message))
    return out
