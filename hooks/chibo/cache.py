"""Where the portal keeps what one build hands to the next (the counter's last figures):
a folder beside mkdocs.yml that the publishing workflow restores with actions/cache."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir(project_root: str | Path) -> Path:
    """`.cache/chibo/` in the project; CHIBO_CACHE_DIR names another folder."""
    return Path(os.environ.get("CHIBO_CACHE_DIR") or Path(project_root) / ".cache" / "chibo")
