"""Where the portal keeps what one build hands to the next (the counter's last figures):
a folder beside mkdocs.yml that the publishing workflow restores with actions/cache."""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import subprocess
from pathlib import Path
from typing import Any

from .options import read_options


def cache_dir(project_root: str | Path) -> Path:
    """`.cache/chibo/` in the project; CHIBO_CACHE_DIR names another folder."""
    return Path(read_options().cache_dir or Path(project_root) / ".cache" / "chibo")


def tracked_cache_files(project_root: str | Path) -> list[str]:
    """Files under .cache/ that the repository tracks. The build trusts what it finds there (its
    own earlier results), so nothing committed may stand in for them. Empty outside Git."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", ".cache"],
            cwd=project_root,
            capture_output=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [name for name in listed.decode("utf-8", "replace").split("\0") if name]


def atomic_write(path: Path, data: bytes) -> None:
    """The file whole or not at all (its folder made if new): workers may make the same file at
    once (one photo used by two articles), and a kept file must never be left half written."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
    except FileNotFoundError:  # a new folder: made when missing, not asked for before every file
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
    os.replace(temporary, path)


@functools.cache
def code_key(package: Path = Path(__file__).parent) -> str:
    """A digest of the portal's own code (this package's Python files). Results kept for a later
    build are made by that code: an update of the software, restored beside an older cache by
    the workflow, makes them again rather than trust what another version produced."""
    digest = hashlib.sha1()
    for path in sorted(package.rglob("*.py")):
        digest.update(f"{path.relative_to(package).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load_kept(path: Path, version: str) -> dict[str, Any]:
    """Results an earlier build kept with `keep` under `version` by this code (`code_key`);
    empty when the file is missing, unreadable or of another version (the results are then made
    again)."""
    try:
        with open(path, "rb") as f:
            kept_version, entries = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
        return {}
    return entries if kept_version == (version, code_key()) and isinstance(entries, dict) else {}


def keep(path: Path, version: str, entries: dict[str, Any]) -> None:
    """`entries` for the next build, with the `version` and the code they were made by."""
    atomic_write(path, pickle.dumps(((version, code_key()), entries), protocol=pickle.HIGHEST_PROTOCOL))
