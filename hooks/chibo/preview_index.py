"""A preview's search index, made beside the preview rather than in its way.

With full text every body edit changes the index, and making it takes longer than rendering the
one page that changed. So in a preview (`mkdocs serve`) the index is made in a worker process
when the records change and written into the served folder when it is ready, a moment after
the page: the newest index wins, the folders of older ones go. Publishing builds do not use
this: there the index is part of the build (`Portal.start_search`).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor
from typing import Any

from .search import INDEX_DIR, Analyses, SearchRecord, make_index


class PreviewIndex:
    """The index is made by one worker process started fresh (spawned, not forked: the server
    has threads, and a process forked beside them can inherit a lock one of them held) and kept
    for the preview's life; a save's index replaces a previous save's that has not started."""

    def __init__(self) -> None:
        self._made: tuple[tuple[SearchRecord, ...], list[str]] | None = None  # what the index on disk holds
        self._latest = 0
        self._lock = threading.Lock()
        self._pool: Any = None
        self._waiting: list[Future[Any]] = []
        self.problem = ""  # why the last index could not be made, for the next build to report

    def update(self, served: str, records: Sequence[SearchRecord], categories: list[str]) -> None:
        """Make the index of `records` in the background unless it is the one already served."""
        # compared, not hashed: unchanged articles keep their records' very strings, which compare at once
        wanted = (tuple(records), list(categories))
        if wanted == self._made and os.path.exists(os.path.join(served, INDEX_DIR, "meta.json")):
            return
        self._made = wanted
        self._latest += 1
        root = os.path.join(served, INDEX_DIR)
        for older in self._waiting:
            older.cancel()  # not started yet: no longer wanted
        if self._pool is None:
            # the worker imports chibo afresh: from where this process has it (MkDocs puts the hook
            # file's folder on the path only while it runs the hook file), as the path is passed on
            here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
            if here not in sys.path:
                sys.path.append(here)
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        future = self._pool.submit(_make_version, *wanted, root)
        self._waiting = [f for f in (*self._waiting, future) if not f.done()]
        threading.Thread(target=self._finish, args=(self._latest, future, root), daemon=True).start()

    def close(self) -> None:
        """When the preview stops: the worker goes with it."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _finish(self, number: int, future: Future[Any], root: str) -> None:
        try:
            ok, meta, version = future.result()
        except CancelledError:
            return
        except Exception as exc:  # noqa: BLE001 - the worker died (BrokenProcessPool) or could not start
            ok, meta, version = False, f"không tạo được chỉ mục tìm kiếm của bản xem trước: {exc}", ""
            self._pool = None  # a new worker for the next save
        with self._lock:
            if number != self._latest:  # a newer save's index is on its way (and removes this one's folder)
                return
            if not ok:
                self.problem, self._made = meta, None
                return
            self.problem = ""
            temporary = os.path.join(root, f".meta.{os.getpid()}.tmp")
            with open(temporary, "w", encoding="utf-8") as f:
                f.write(meta)
            os.replace(temporary, os.path.join(root, "meta.json"))  # in one step: searches switch here
            for entry in os.scandir(root):  # older versions (not the folders still being written)
                if entry.is_dir() and entry.name != version and not entry.name.startswith("."):
                    shutil.rmtree(entry.path, ignore_errors=True)


_ANALYSES = Analyses()  # the worker's, for the preview's life: a save analyses its articles only


def _make_version(records: tuple[SearchRecord, ...], categories: list[str], root: str) -> tuple[bool, str, str]:
    """In the worker process: the index's version folder written (unless a build of the same
    content wrote it already); returns whether it was made, meta.json's text (or the problem) and
    the version. The files stay out of the server's process, which keeps its memory flat."""
    ok, files, _ = make_index(records, categories, _ANALYSES)
    _ANALYSES.prune()
    if not ok or isinstance(files, str):
        return False, str(files), ""
    meta = files.pop("meta.json")
    version = next(iter(files)).split("/", 1)[0]
    if not os.path.isdir(os.path.join(root, version)):
        # written aside, then renamed: a folder of that name is always whole
        aside = os.path.join(root, f".{version}.{os.getpid()}")
        for name, text in files.items():
            target = os.path.join(aside, name.split("/", 1)[1])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
        try:
            os.rename(aside, os.path.join(root, version))
        except OSError:  # the folder appeared meanwhile (left by a worker stopped mid-write)
            shutil.rmtree(aside, ignore_errors=True)
    return True, meta, version
