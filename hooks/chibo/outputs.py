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
import json
import os
import shutil
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
        self.fingerprints: dict[str, str] = {}
        self.produced: set[str] = set()  # by the previous build
        self.done = Written()

    def begin(self, root: str) -> None:
        if root != self.root:
            self.fingerprints, self.produced = {}, set()
        self.root = root
        self.done = Written()

    def fresh(self, path: str, key: str) -> bool:
        """Whether the page at `path` was last written from inputs with fingerprint `key` and is still there."""
        if self.fingerprints.get(path) == key and os.path.isfile(os.path.join(self.root, path)):
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
        os.makedirs(os.path.dirname(target), exist_ok=True)
        # a preview's server may be reading the old file: replace it whole
        temporary = f"{target}.{os.getpid()}.tmp"
        with open(temporary, "wb") as f:
            f.write(data)
        os.replace(temporary, target)
        self.done.written += 1

    def link(self, path: str, stored: Path) -> None:
        """A file of the store (a photo's variant) as a file of the site: a hard link, or a copy
        where a link cannot be made (another disk); nothing when it is already there."""
        target = os.path.join(self.root, path)
        self.done.produced.add(path)
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
    """Pages' own parts by fingerprint, one small file each, in `.cache/chibo/pages/`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> dict[str, str] | None:
        try:
            with open(self.folder / f"{key}.json", encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def put(self, key: str, parts: dict[str, str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f"{key}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(parts, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.folder / f"{key}.json")

    def keep_only(self, keys: set[str]) -> None:
        """Drop the parts no page of this build used: the cache holds one site, not its history."""
        if not self.folder.is_dir():
            return
        for entry in os.scandir(self.folder):
            if entry.name.removesuffix(".json") not in keys:
                os.unlink(entry.path)
