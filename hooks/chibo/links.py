"""Links written in Markdown: which file of docs/ a link or image points at.

One rule for `chibo check` (does it point at a file?) and for the article writer (which
page's URL to write instead): a path relative to the article's own file, or to docs/ when
it starts with "/"; a folder-style link ("../gioi-thieu/") means that page's Markdown file.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

# Markdown links and images [text](target "title"); reference definitions [id]: target;
# src and href attributes of HTML written in the Markdown.
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?", re.MULTILINE)
_HTML_LINK = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)


def link_targets(markdown: str) -> tuple[str, ...]:
    """Every link and image target written in a Markdown text, outside fenced code."""
    text = _FENCE.sub("", markdown)
    found = MARKDOWN_LINK.findall(text) + _REFERENCE.findall(text) + _HTML_LINK.findall(text)
    return tuple(dict.fromkeys(found))


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
