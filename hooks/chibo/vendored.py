"""The third-party files the site ships (the web editor, the photo viewer), as `VENDORED.json`
beside them records them: each file's SHA-256. Pages load them with `integrity=`, and the
build checks that the built site holds exactly those files."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Iterable

from .addresses import ADMIN, ASSETS

VENDORED_DIRS = (ADMIN, f"{ASSETS}portal/photoswipe/")  # site folders, as in the theme


def read_record(folder: str) -> dict[str, object] | None:
    try:
        with open(os.path.join(folder, "VENDORED.json"), encoding="utf-8") as f:
            record = json.load(f)
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def integrity(record: dict[str, object], name: str) -> str:
    """The `integrity=` value of one vendored file (its recorded SHA-256, as SRI writes it)."""
    files = record.get("files")
    digest = files.get(name) if isinstance(files, dict) else None
    if not isinstance(digest, str):
        return ""
    return "sha256-" + base64.b64encode(bytes.fromhex(digest)).decode()


def tampered(site_dir: str, theme_dirs: Iterable[str]) -> list[str]:
    """Vendored files of the built site that differ from their record (a file this build did
    not publish, such as the web editor of a theme without it, is not judged)."""
    problems = []
    dirs = list(theme_dirs)
    for folder in VENDORED_DIRS:
        record = next((r for d in dirs if (r := read_record(os.path.join(d, folder))) is not None), None)
        files = record.get("files") if record else None
        for name, digest in files.items() if isinstance(files, dict) else []:
            path = os.path.join(site_dir, folder, name)
            try:
                with open(path, "rb") as f:
                    actual = hashlib.sha256(f.read()).hexdigest()
            except OSError:
                continue  # not published by this build (a theme without the web editor)
            if actual != digest:
                problems.append(f"{folder}{name}")
    return problems
