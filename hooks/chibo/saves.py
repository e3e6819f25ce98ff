"""A preview's saved articles, answered by the portal beside MkDocs' rebuilds.

MkDocs rebuilds the whole site after any saved file, which at thousands of articles takes a
second or more. The preview's watcher hands the saves of articles' Markdown files here
instead; a thread of their own passes them to the session (`Session.answer_saves`), which
writes the articles at once when only their own pages change, or says MkDocs must build, and
then the saves go back to MkDocs' watcher as they came. One lock keeps a portal answer and a
MkDocs rebuild from running at the same time. Two watchers may report the same save (the
system's notifications at once, MkDocs' polling a moment later): a file already taken as it
is now is not taken again. Nothing here knows MkDocs or its server: the hook file connects them.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .articles import ARTICLES_DIR

SETTLE = 0.02  # seconds without a new save before answering (an editor's save can be two writes)
log = logging.getLogger("mkdocs.plugins.chibo")


class SavedArticles:
    """`answer(saved)`: source path -> file, returns seconds taken or None (MkDocs must build);
    `rebuild(events)`: the saves handed back; `shown(saved, seconds)`: answered, readers may reload."""

    def __init__(
        self,
        docs_dir: str,
        answer: Callable[[Mapping[str, str]], float | None],
        rebuild: Callable[[list[Any]], None],
        shown: Callable[[Mapping[str, str], float], None],
    ) -> None:
        self.docs_dir = os.path.abspath(docs_dir)
        self.lock = threading.Lock()  # held by an answer, and by MkDocs' rebuild (the hook wraps it)
        self._answer, self._rebuild, self._shown = answer, rebuild, shown
        self._saved: dict[str, str] = {}
        self._taken: dict[str, tuple[int, int, int] | None] = {}  # file -> how it was when last taken
        self._events: list[Any] = []
        self._new = threading.Condition()
        threading.Thread(target=self._run, name="chibo-saves", daemon=True).start()

    def source(self, path: str) -> str | None:
        """The source path (relative to docs/) of an article's Markdown file, else None."""
        relative = os.path.relpath(os.path.abspath(path), self.docs_dir).replace(os.sep, "/")
        return relative if relative.startswith(ARTICLES_DIR) and relative.endswith(".md") else None

    def offer(self, paths: Iterable[str], event: Any) -> bool:
        """Take a watcher's event when every file it names is an article's Markdown file (one
        that only names files already taken as they are now is taken, and dropped)."""
        sources = {}
        for path in paths:
            src = self.source(path)
            if src is None:
                return False
            sources[src] = os.path.abspath(path)
        states = {path: _state(path) for path in sources.values()}
        with self._new:
            if all(self._taken.get(path, ()) == state for path, state in states.items()):
                return True
            self._taken.update(states)
            self._saved.update(sources)
            self._events.append(event)
            self._new.notify_all()
        return True

    def _take(self) -> tuple[dict[str, str], list[Any]]:
        """The saves waiting, once no new one has come for `SETTLE` seconds."""
        with self._new:
            self._new.wait_for(lambda: bool(self._events))
            count = -1
            while count != len(self._events):
                count = len(self._events)
                self._new.wait(SETTLE)
            saved, events = self._saved, self._events
            self._saved, self._events = {}, []
        return saved, events

    def _run(self) -> None:
        while True:
            saved, events = self._take()
            with self.lock:
                try:
                    seconds = self._answer(saved)
                except Exception:  # noqa: BLE001 - never the end of the preview: MkDocs builds instead
                    log.debug("portal: saved articles not answered", exc_info=True)
                    seconds = None
            if seconds is None:
                self._rebuild(events)
            else:
                self._shown(saved, seconds)


def _state(path: str) -> tuple[int, int, int] | None:
    """A file's modification time, size and inode, or None when it is gone."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino
