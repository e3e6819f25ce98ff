""" "Đọc nhiều": the articles most viewed in the last 7 and 30 days, from the body's own
GoatCounter (`GET /api/v0/stats/hits`, one page of the 100 most viewed paths per period),
kept in `.cache/chibo/most-read.json` so that an outage shows the last lists, never an error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .cache import atomic_write

SIDEBAR_SIZE = 5
PAGE_SIZE = 10
PERIODS = {"week": 7, "month": 30}


@dataclass
class MostRead:
    """Page address -> views, per period; `at`: when the counter was read."""

    at: datetime | None = None
    views: dict[str, dict[str, int]] = field(default_factory=dict)  # period -> page -> views

    def top(self, period: str, known: Mapping[str, Any], size: int) -> list[tuple[str, int]]:
        """The `size` most viewed known pages of a period, most viewed first (address order breaks ties)."""
        counts = self.views.get(period, {})
        ranked = sorted(((url, n) for url, n in counts.items() if url in known), key=lambda item: (-item[1], item[0]))
        return ranked[:size]


def fetch_most_read(
    get_page: Callable[[datetime, datetime, list[int]], tuple[list[dict[str, Any]], bool]],
    now: datetime,
    prefix: str,
) -> MostRead:
    """The counts of each period's first page of paths (`prefix`: the site's path, '/' or '/repo/')."""
    end = now.astimezone(UTC)
    views: dict[str, dict[str, int]] = {}
    for period, days in PERIODS.items():
        hits, _ = get_page(end - timedelta(days=days), end, [])
        counts: dict[str, int] = {}
        for hit in hits:
            path, count = hit.get("path"), hit.get("count")
            if hit.get("event") or not isinstance(path, str) or not isinstance(count, int):
                continue
            if path.startswith(prefix):
                url = path[len(prefix) :]
                counts[url] = counts.get(url, 0) + count
        views[period] = counts
    return MostRead(now, views)


def load_most_read(path: Path) -> MostRead | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        views = {str(p): {str(u): int(n) for u, n in v.items()} for p, v in data["views"].items()}
        return MostRead(datetime.fromisoformat(data["at"]), views)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def save_most_read(path: Path, most_read: MostRead) -> None:
    at = most_read.at.isoformat() if most_read.at else None
    atomic_write(path, json.dumps({"at": at, "views": most_read.views}, sort_keys=True).encode())
