"""A preview's search index, made beside the preview rather than in its way.

With full text every body edit changes the index, and making it takes longer than rendering the
one page that changed. So in a preview (`mkdocs serve`) the index is made in a forked process
when the records change and written into the served folder when it is ready, a moment after
the page: the newest index wins, the folders of older ones go. Publishing builds do not use
this: there the index is part of the build (`Portal.start_search`).
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Callable, Sequence
from typing import Any

from .search import INDEX_DIR, SearchRecord, make_index
from .workers import start_forked


class PreviewIndex:
    def __init__(self) -> None:
        self._made: tuple[tuple[SearchRecord, ...], list[str]] | None = None  # what the index on disk holds
        self._latest = 0
        self._lock = threading.Lock()
        self.problem = ""  # why the last index could not be made, for the next build to report

    def update(self, served: str, records: Sequence[SearchRecord], categories: list[str]) -> None:
        """Make the index of `records` in the background unless it is the one already served."""
        # compared, not hashed: unchanged articles keep their records' very strings, which compare at once
        wanted = (tuple(records), list(categories))
        if wanted == self._made and os.path.exists(os.path.join(served, INDEX_DIR, "meta.json")):
            return
        self._made = wanted
        self._latest += 1
        wait = start_forked(functools.partial(make_index, *wanted))
        threading.Thread(target=self._finish, args=(self._latest, wait, served), daemon=True).start()

    def _finish(self, number: int, wait: Callable[[], Any], served: str) -> None:
        try:
            ok, files, _ = wait()
        except RuntimeError as exc:  # the forked process died
            ok, files = False, str(exc)
        with self._lock:
            if number != self._latest:
                return  # a newer save's index is on its way
            if not ok:
                self.problem, self._made = str(files), None
            else:
                self.problem = ""
                write_index(os.path.join(served, INDEX_DIR), files)


def write_index(root: str, files: dict[str, str]) -> None:
    """The version's folder first, then meta.json in one step (a search started in between uses
    the previous version, whose folder goes only after), then the older versions' folders."""
    version = ""
    for name, text in files.items():
        if name == "meta.json":
            continue
        version = name.split("/", 1)[0]
        target = os.path.join(root, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)
    temporary = os.path.join(root, f".meta.{os.getpid()}.tmp")
    with open(temporary, "w", encoding="utf-8") as f:
        f.write(files["meta.json"])
    os.replace(temporary, os.path.join(root, "meta.json"))
    for entry in os.scandir(root):
        if entry.is_dir() and entry.name != version:
            shutil.rmtree(entry.path, ignore_errors=True)
