"""Links written in Markdown: which file of docs/ a link or image points at.

One rule for `chibo check` (does it point at a file?) and for the article writer (which
page's URL to write instead): a path relative to the article's own file, or to docs/ when
it starts with "/"; a folder-style link ("../gioi-thieu/") means that page's Markdown file.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

# Markdown images ![alt](target "title") and <img src>; links [text](target), reference
# definitions [id]: target and <a href>; MARKDOWN_LINK matches both kinds (chibo check).
# groups: alt text, target, title
# Each repetition stops at the next opening mark ([, <, "), so that text full of openings
# without their closings costs linear time, not quadratic.
MARKDOWN_IMAGE = re.compile(r"!\[([^\[\]]*)\]\(\s*<?([^()\s<>]+)>?(?:\s+\"([^\"]*)\")?\s*\)")
_HTML_IMAGE = re.compile(r"""<img\b[^<>]*?\bsrc\s*=\s*["']([^"'<>]+)["']""", re.IGNORECASE)
MARKDOWN_LINK = re.compile(r"!?\[[^\[\]]*\]\(\s*<?([^()\s<>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# a link that is not an image; its text may itself be an image: [![ảnh](nho.jpg)](goc.jpg)
_PLAIN_LINK = re.compile(r"(?<!!)\[(?:[^\[\]]|!\[[^\[\]]*\]\([^()]*\))*\]\(\s*<?([^()\s<>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_HREF = re.compile(r"""<a\b[^<>]*?\bhref\s*=\s*["']([^"'<>]+)["']""", re.IGNORECASE)
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def image_targets(markdown: str) -> tuple[str, ...]:
    """The targets shown as images (![…](x), <img src="x">), outside fenced code."""
    text = _FENCE.sub("", markdown)
    markdown_images = [target for _, target, _ in MARKDOWN_IMAGE.findall(text)]
    return tuple(dict.fromkeys(markdown_images + _HTML_IMAGE.findall(text)))


def link_targets(markdown: str) -> tuple[str, ...]:
    """The targets of links that are not images ([…](x), [id]: x, <a href="x">), outside fenced code."""
    text = _FENCE.sub("", markdown)
    return tuple(dict.fromkeys(_PLAIN_LINK.findall(text) + _REFERENCE.findall(text) + _HTML_HREF.findall(text)))


def candidates(src: str, target: str) -> list[str]:
    """The docs/ paths that link `target` in docs/`src` may mean, most likely first; [] for an external link."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("#") or not parts.path:
        return []  # a web address, an e-mail or phone link, an anchor on the same page
    path = unquote(parts.path)
    resolved = posixpath.normpath(
        path.lstrip("/") if path.startswith("/") else posixpath.join(posixpath.dirname(src), path)
    )
    if resolved == ".":
        return ["index.md"]  # the home page
    found = [resolved]
    if path.endswith("/") or not posixpath.splitext(resolved)[1]:
        found += [f"{resolved}.md", f"{resolved}/index.md"]
    return found


def relative_url(target: str, page_url: str) -> str:
    """URL of site path `target` relative to the page at `page_url` (both without a leading '/');
    a web address (a photo on object storage) as it is."""
    if target.startswith(("https://", "http://")):
        return target
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    rel = posixpath.relpath("/" + target, "/" + base)
    if (target.endswith("/") or target == "") and not rel.endswith("/"):
        rel += "/"
    return rel
