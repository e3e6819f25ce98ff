"""Which files of docs/ may reach the site: content only.

docs/ belongs to the editors; the site's code (the theme's scripts, the web editor, the search
index, feeds) belongs to the portal. A file of docs/ is refused, with its path, when it is a
symbolic link or sits in a folder reached through one (it could publish any file of the
publishing machine, its secrets included), when it would take the place of a file the site's
own code uses, or when it is a type a browser runs as a page or a script (HTML, JavaScript,
SVG, XML) and no setting (`extra.portal.verbatim_files`) lists it on purpose.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable

from .addresses import RESERVED_TOP
from .errors import ContentError

RUNNABLE = frozenset({".html", ".htm", ".xhtml", ".shtml", ".js", ".mjs", ".cjs", ".svg", ".svgz", ".xml", ".xsl"})


def refused(
    docs_dir: str,
    paths: Iterable[str],
    theme_dirs: Iterable[str] = (),
    verbatim: Iterable[str] = (),
    shown_root: str = "docs",
) -> dict[str, ContentError]:
    """The files of docs/ (paths relative to it, with '/') that may not be published, each with why."""
    themes = [d for d in theme_dirs if d]
    allowed = {p.strip("/") for p in verbatim}
    linked = _Links(docs_dir)
    out: dict[str, ContentError] = {}
    for path in paths:
        if (why := _why(linked, path, themes, allowed)) is not None:
            out[path] = ContentError(f"{shown_root}/{path}", 1, why)
    return out


class _Links:
    """Whether a path of docs/ is, or sits in a folder that is, a symbolic link: one lstat per
    file and per folder (resolving each file's whole path cost a second at 10,000 files)."""

    def __init__(self, docs_dir: str) -> None:
        self.docs_dir = docs_dir
        self._folders: dict[str, bool] = {"": False}  # folder (relative) -> it or one above is a link

    def __call__(self, path: str) -> bool:
        folder = posixpath.dirname(path)
        return self._folder(folder) or os.path.islink(os.path.join(self.docs_dir, path))

    def _folder(self, folder: str) -> bool:
        known = self._folders.get(folder)
        if known is None:
            known = self._folder(posixpath.dirname(folder)) or os.path.islink(os.path.join(self.docs_dir, folder))
            self._folders[folder] = known
        return known


def _why(linked: _Links, path: str, themes: list[str], allowed: set[str]) -> str | None:
    if linked(path):
        return (
            "tệp này là liên kết tượng trưng (symlink) hoặc nằm trong thư mục liên kết tới nơi khác; cổng không xuất "
            "bản những tệp như vậy (chúng có thể làm lộ tệp của máy xuất bản). Hãy chép chính tệp vào docs/."
        )
    top = path.split("/", 1)[0]
    if top in RESERVED_TOP or any(os.path.isfile(os.path.join(t, path)) for t in themes):
        return (
            f'đường dẫn "{path}" dành cho tệp của chính cổng (giao diện, trang biên tập, chỉ mục tìm kiếm, tin RSS); '
            "hãy đặt tệp vào thư mục khác, ví dụ docs/tep/ hoặc cạnh bài viết."
        )
    if posixpath.splitext(path)[1].lower() in RUNNABLE and path not in allowed:
        return (
            "tệp HTML, JavaScript, SVG hay XML trong docs/ có thể chạy mã trên trang nên không được xuất bản. "
            "Ảnh hãy lưu dạng JPG hoặc PNG; trang hãy viết bằng Markdown (.md). Nếu thật sự cần đưa tệp này "
            f'lên nguyên vẹn (ví dụ tệp xác minh của Google), người quản trị thêm "{path}" vào '
            "extra.portal.verbatim_files trong mkdocs.yml."
        )
    return None
