"""What the build reads from its environment, all in one place, and what each variable means.

| variable | meaning |
| --- | --- |
| `CHIBO_NOW` | the build's "now" (ISO 8601, Vietnam time when no zone): tests, previewing a schedule |
| `CHIBO_WORKERS` | processes for reading and writing on a build (default: the cores, at most 4) |
| `CHIBO_NO_SEARCH` | `1`: no search index (benchmarks) |
| `CHIBO_CACHE_DIR` | where builds keep what the next one reuses (default `.cache/chibo/` in the project) |
| `CHIBO_SEARCH_CHUNK`, `CHIBO_SEARCH_WORDS_BYTES` | the search index's file sizes (benchmarks) |
| `GOATCOUNTER_TOKEN` | the counter's API key: figures, ratings and "Đọc nhiều" read at build time |
| `GITHUB_REPOSITORY` | owner/name of the repository the web editor commits to (set by GitHub Actions) |
| `GITHUB_STEP_SUMMARY` | the job summary `chibo check --github` and `chibo log` write to (set by GitHub Actions) |
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from .text import TIMEZONE


@dataclass(frozen=True)
class Options:
    now: datetime | None = None
    workers: int | None = None
    search: bool = True
    cache_dir: str = ""
    search_chunk: int = 5
    search_words_bytes: int = 48_000
    counter_token: str = ""
    repository: str = ""
    step_summary: str = ""


def read_options(environ: Mapping[str, str] | None = None) -> Options:
    env = os.environ if environ is None else environ
    fixed = env.get("CHIBO_NOW", "").strip()
    now = None
    if fixed:
        moment = datetime.fromisoformat(fixed)
        now = (moment if moment.tzinfo else moment.replace(tzinfo=TIMEZONE)).astimezone(TIMEZONE)
    return Options(
        now=now,
        workers=int(env["CHIBO_WORKERS"]) if env.get("CHIBO_WORKERS") else None,
        search=env.get("CHIBO_NO_SEARCH", "") not in ("1", "true", "yes"),
        cache_dir=env.get("CHIBO_CACHE_DIR", ""),
        search_chunk=int(env.get("CHIBO_SEARCH_CHUNK") or 5),
        search_words_bytes=int(env.get("CHIBO_SEARCH_WORDS_BYTES") or 48_000),
        counter_token=env.get("GOATCOUNTER_TOKEN", "").strip(),
        repository=env.get("GITHUB_REPOSITORY", ""),
        step_summary=env.get("GITHUB_STEP_SUMMARY", ""),
    )
