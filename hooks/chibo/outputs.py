"""Writing the site: only what changed.

`Output` writes a file only when its bytes differ from what is there (an unchanged page keeps
its modification time), skips a page whose fingerprint (a hash of exactly the inputs it shows)
is the one it last wrote, and in a preview removes what no longer belongs to the site (a
deleted or renamed article's page). `PartsCache` keeps each page's own parts (head, content,
table of contents) on disk by fingerprint, so that a new build (a warm publish with the
workflow's cache restored, or a preview after the page shell changed) fills the shell with them
instead of rendering the page again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path


def fingerprint(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


@dataclass
class Written:
    """What a writer (perhaps a forked worker) did, for the parent to add up."""

    produced: set[str] = field(default_factory=set)
    fingerprints: dict[str, str] = field(default_factory=dict)
    written: int = 0


class Output:
    """The site folder; `fingerprints` live as long as the object (a preview's server)."""

    def __init__(self) -> None:
        self.root = ""
        self.atomic = False  # a preview's server may read a page while it is replaced
        # no one else writes in `root` but in folders of their own (a preview's temporary folder,
        # its search index): what this object wrote there is still there, without asking the
        # disk (beside MkDocs' file watcher, each stat costs a preview's thread a wait for the GIL)
        self.owned = False
        self.fingerprints: dict[str, str] = {}
        self.produced: set[str] = set()  # by the previous build
        self.linked: dict[str, Path] = {}  # site path -> the stored file linked there (when owned)
        self.done = Written()

    def begin(self, root: str) -> None:
        if root != self.root:
            self.fingerprints, self.produced, self.linked = {}, set(), {}
        self.root = root
        self.done = Written()

    def fresh(self, path: str, key: str) -> bool:
        """Whether the page at `path` was last written from inputs with fingerprint `key` and is still there."""
        if self.fingerprints.get(path) == key and (self.owned or os.path.isfile(os.path.join(self.root, path))):
            self.done.produced.add(path)
            return True
        return False

    def write(self, path: str, content: str | bytes, key: str = "") -> None:
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = os.path.join(self.root, path)
        self.done.produced.add(path)
        if key:
            self.done.fingerprints[path] = key
        try:
            if os.path.getsize(target) == len(data):
                with open(target, "rb") as f:
                    if f.read() == data:
                        return
        except OSError:
            pass
        # a preview's server may be reading the old file: replace it whole
        temporary = f"{target}.{os.getpid()}.tmp" if self.atomic else target
        try:
            out = open(temporary, "wb")  # noqa: SIM115 - closed by the with below, after the retry
        except FileNotFoundError:  # a new folder (most pages have one of their own)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            out = open(temporary, "wb")  # noqa: SIM115 - closed by the with below
        with out as f:
            f.write(data)
        if self.atomic:
            os.replace(temporary, target)
        self.done.written += 1

    def link(self, path: str, stored: Path) -> None:
        """A file of the store (a photo's variant) as a file of the site: a hard link, or a copy
        where a link cannot be made (another disk); nothing when it is already there."""
        self.done.produced.add(path)
        if self.owned and path in self.produced and self.linked.get(path) == stored:
            return  # stored files are named by their content: the same name, the same bytes
        self._link(os.path.join(self.root, path), stored)
        if self.owned:
            self.linked[path] = stored

    def _link(self, target: str, stored: Path) -> None:
        try:
            here, there = os.stat(target), os.stat(stored)
            if here.st_ino == there.st_ino or (here.st_size == there.st_size and here.st_mtime >= there.st_mtime):
                return
            os.unlink(target)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
        try:
            os.link(stored, target)
        except OSError:
            shutil.copyfile(stored, target)
        self.done.written += 1

    def add(self, done: Written) -> None:
        self.done.produced |= done.produced
        self.done.fingerprints.update(done.fingerprints)
        self.done.written += done.written

    def amend(self) -> None:
        """Keep the fingerprints of a write of a few pages (a preview's saved article) beside
        the last build's; nothing is removed."""
        self.fingerprints.update(self.done.fingerprints)
        self.produced |= self.done.produced

    def finish(self, prune: bool) -> int:
        """Keep this build's fingerprints; with `prune`, remove what the previous build produced
        and this one did not (a deleted or renamed article's page, an old search index), and the
        folders left empty. Returns the files removed."""
        done = self.done
        self.fingerprints = {p: k for p, k in {**self.fingerprints, **done.fingerprints}.items() if p in done.produced}
        gone = self.produced - done.produced if prune else set()
        self.produced = done.produced
        for path in gone:
            target = os.path.join(self.root, path)
            try:
                os.unlink(target)
            except FileNotFoundError:
                continue
            folder = os.path.dirname(target)
            while folder != self.root and not os.listdir(folder):
                os.rmdir(folder)
                folder = os.path.dirname(folder)
        return len(gone)


class PartsCache:
    """Pages' own parts by fingerprint, in one SQLite file (`.cache/chibo/pages.sqlite`). They
    are stored as they are, each text after its name and length: JSON and zlib cost a cold
    build of 4,000 articles a second of CPU, and the workflow's cache is compressed whole when
    saved. Each worker writes what it rendered in a transaction per 8 MB (`put`, `flush`); the
    parent then drops what this build did not use."""

    FLUSH_BYTES = 8 << 20  # parts held before they are written: a cold build renders 89 MB of them

    def __init__(self, folder: Path) -> None:
        self.path = folder / "pages.sqlite"
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._held: dict[str, bytes] = {}
        self._held_bytes = 0

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None or self._pid != os.getpid():  # a forked worker opens its own
            self._pid = os.getpid()
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=30)
                # a `parts` table holds another format (zlib'd JSON): no build reads it
                self._db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, data BLOB)")
                self._db.execute("DROP TABLE IF EXISTS parts")
            except sqlite3.Error:
                self._db = None  # no cache: every page is rendered
        return self._db

    def get(self, key: str) -> dict[str, str] | None:
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute("SELECT data FROM pages WHERE key = ?", (key,)).fetchone()
            return self.unpack(row[0]) if row else None
        except (sqlite3.Error, ValueError):
            return None

    @staticmethod
    def pack(parts: dict[str, str]) -> bytes:
        """A page's parts as stored (done in the worker that rendered them): for each, its name,
        a line break, its length in characters, a line break, the text."""
        return "".join(f"{name}\n{len(text)}\n{text}" for name, text in parts.items()).encode()

    @staticmethod
    def unpack(data: bytes) -> dict[str, str]:
        """What `pack` stored; ValueError when it is not that (a damaged or foreign row)."""
        text = data.decode()
        parts, at = {}, 0
        while at < len(text):
            name_end = text.index("\n", at)
            length_end = text.index("\n", name_end + 1)
            end = length_end + 1 + int(text[name_end + 1 : length_end])
            if end > len(text):
                raise ValueError("truncated")
            parts[text[at:name_end]] = text[length_end + 1 : end]
            at = end
        return parts

    def put(self, key: str, parts: dict[str, str]) -> None:
        """Keep parts this process rendered; they are written by 8 MB (`flush`)."""
        data = self.pack(parts)
        self._held[key] = data
        self._held_bytes += len(data)
        if self._held_bytes >= self.FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        """Write the parts held, in one transaction (SQLite lets the workers take turns)."""
        held, self._held, self._held_bytes = self._held, {}, 0
        db = self._connect()
        if db is None or not held:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?)", list(held.items()))
        except sqlite3.Error:
            pass

    def keep_only(self, used: set[str]) -> None:
        """Drop the parts no page of this build used: the cache holds one site, not its history."""
        db = self._connect()
        if db is None:
            return
        try:
            with db:
                db.execute("CREATE TEMP TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY)")
                db.execute("DELETE FROM used")
                db.executemany("INSERT OR IGNORE INTO used VALUES (?)", [(k,) for k in used])
                db.execute("DELETE FROM pages WHERE key NOT IN (SELECT key FROM used)")
        except sqlite3.Error:
            pass
