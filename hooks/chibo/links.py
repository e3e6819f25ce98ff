"""Links written in Markdown: which file of docs/ a link or image points at.

One rule for `chibo check` (does it point at a file?) and for the article writer (which
page's URL to write instead): a path relative to the article's own file, or to docs/ when
it starts with "/"; a folder-style link ("../gioi-thieu/") means that page's Markdown file.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urlsplit


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
