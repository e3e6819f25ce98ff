"""Readers' satisfaction ratings (Decree 224/2026/NĐ-CP Art. 10(3)(b)), kept by the body's own
GoatCounter server as events.

A reader's choice is one event whose path names the page and the value:
`danh-gia/<value>/<page address>` (for example `danh-gia/5/bai-viet/2023/11/slug/`). Nothing
else is sent: no cookie, no identifier. GoatCounter counts a path once per visitor session
(8 hours), so one person cannot pile up ratings in one sitting, but can rate again later or
from another device; the figures are an indication, not a vote.

The build reads the events back through `GET /api/v0/stats/hits`, a window of whole hours at
a time since the last kept snapshot (`.cache/chibo/ratings.json`), so a publishing run asks only
for the hours since the previous one; a window that does not finish within the budget is kept
half-read and resumed by the next build. The figures shown are the kept counts plus what an
article's front matter carries over from the old site (`rating: {sum: …, count: …}`).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .addresses import RATINGS
from .cache import atomic_write
from .text import format_number, format_tenths

# the events are named after the page of figures; the rating box gives the site's script this
# name (data-portal-rating-events), so that the event path is written in one place
EVENT_DIR = RATINGS.rstrip("/")
LABELS = ("Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng", "Rất hài lòng")
_EVENT = re.compile(rf"^/?{EVENT_DIR}/([1-5])/(.+)$")
FIRST_WINDOW = timedelta(days=365)  # how far back a build with no kept snapshot looks
_VERSION = 1


def parse_event(path: str) -> tuple[str, int] | None:
    """(page address, value) of a rating event's path; None for anything else."""
    match = _EVENT.match(path)
    return (match.group(2), int(match.group(1))) if match else None


@dataclass(frozen=True)
class Figures:
    """How one page (or a group of pages) was rated."""

    total: int = 0  # sum of the values
    count: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.total + other.total, self.count + other.count)

    @property
    def average(self) -> float:
        return self.total / self.count if self.count else 0.0

    @property
    def score(self) -> str:
        """'4,3 / 5'."""
        return f"{format_tenths(self.average)} / 5"

    @property
    def text(self) -> str:
        """'4,3 / 5 · 27 lượt đánh giá', with Vietnamese numbers."""
        if not self.count:
            return "Chưa có lượt đánh giá nào"
        return f"{self.score} · {format_number(self.count)} lượt đánh giá"


@dataclass
class RatingsSnapshot:
    """Counts per page address, per month ('2026-12') and value (index 0 is the value 1)."""

    until: datetime | None = None  # the hours before this one are all counted
    counts: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    pending: dict[str, Any] = field(default_factory=dict)  # a window read in part: start, end, seen, counts

    def add(self, page_url: str, value: int, month: str, number: int) -> None:
        row = self.counts.setdefault(page_url, {}).setdefault(month, [0, 0, 0, 0, 0])
        row[value - 1] += number

    def figures(self, page_url: str) -> Figures:
        return sum((_figures(row) for row in self.counts.get(page_url, {}).values()), Figures())

    def by_month(self, pages: Iterable[str]) -> dict[str, Figures]:
        out: dict[str, Figures] = {}
        for page in pages:
            for month, row in self.counts.get(page, {}).items():
                out[month] = out.get(month, Figures()) + _figures(row)
        return dict(sorted(out.items()))


def _figures(row: list[int]) -> Figures:
    return Figures(sum((i + 1) * n for i, n in enumerate(row)), sum(row))


def carried_over(value: Any) -> Figures | None:
    """`rating: {sum: 43, count: 10}` of a front matter (the old site's votes); None if not that."""
    if not isinstance(value, dict):
        return None
    total, count = value.get("sum"), value.get("count")
    ok = all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (total, count))
    if not ok or count * 5 < total or (count and total < count) or (total and not count):  # type: ignore[operator]
        return None
    return Figures(int(total), int(count))  # type: ignore[arg-type]


# -- kept between builds ---------------------------------------------------------------------


def load_ratings(path: Path) -> RatingsSnapshot:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != _VERSION:
            return RatingsSnapshot()
        until = datetime.fromisoformat(data["until"]) if data.get("until") else None
        counts = {
            str(page): {str(m): [int(n) for n in row][:5] for m, row in months.items() if len(row) == 5}
            for page, months in data.get("counts", {}).items()
        }
        return RatingsSnapshot(until, counts, dict(data.get("pending") or {}))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return RatingsSnapshot()


def save_ratings(path: Path, snapshot: RatingsSnapshot) -> None:
    data = {
        "version": _VERSION,
        "until": snapshot.until.isoformat() if snapshot.until else None,
        "counts": snapshot.counts,
        "pending": snapshot.pending,
    }
    atomic_write(path, json.dumps(data, ensure_ascii=False, sort_keys=True).encode())


# -- read from the counter's API -------------------------------------------------------------

# (start, end, path ids already read) -> (hits, more)
HitsPage = Callable[[datetime, datetime, list[int]], tuple[list[dict[str, Any]], bool]]


def update_ratings(snapshot: RatingsSnapshot, get_page: HitsPage, now: datetime, budget: float) -> str:
    """Read the hours since `snapshot.until` into it; '' when it caught up, else why not (the
    part read stays in `pending` for the next build). Never raises for the server's answers."""
    deadline = time.monotonic() + budget
    hour = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    pending = snapshot.pending
    if not pending:
        start = snapshot.until or hour - FIRST_WINDOW
        if start >= hour:
            return ""
        pending = {"start": start.isoformat(), "end": hour.isoformat(), "seen": [], "counts": []}
    start, end = datetime.fromisoformat(pending["start"]), datetime.fromisoformat(pending["end"])
    while True:
        if time.monotonic() > deadline:
            snapshot.pending = pending
            return "hết thời gian dành cho việc đọc đánh giá; lần xây dựng sau đọc tiếp"
        try:
            hits, more = get_page(start, end, list(pending["seen"]))
        except Exception as exc:  # noqa: BLE001 - any failure of the server keeps what was read
            snapshot.pending = pending
            return f"{type(exc).__name__}: {exc}"
        new = [h for h in hits if isinstance(h, dict) and isinstance(h.get("path_id"), int)]
        pending["seen"] += [h["path_id"] for h in new if h["path_id"] not in pending["seen"]]
        pending["counts"] += _events(new)
        if not more or not new:
            break
    for page_url, value, month, number in pending["counts"]:
        snapshot.add(page_url, value, month, number)
    snapshot.until, snapshot.pending = end, {}
    return ""


def _events(hits: list[dict[str, Any]]) -> list[tuple[str, int, str, int]]:
    """(page, value, month, count) of the rating events among a page of hits, by day."""
    out = []
    for hit in hits:
        parsed = parse_event(str(hit.get("path", "")))
        if parsed is None or hit.get("event") is False:
            continue
        for day in hit.get("stats") or []:
            number = day.get("daily") if isinstance(day, dict) else None
            if isinstance(number, int) and number > 0 and isinstance(day.get("day"), str):
                out.append((parsed[0], parsed[1], day["day"][:7], number))
    return out


def page_figures(snapshot: RatingsSnapshot, pages: Mapping[str, Figures | None]) -> dict[str, Figures]:
    """Each known page's figures: the kept counts plus what its front matter carries over.
    Events for addresses the site does not have are left out."""
    return {url: snapshot.figures(url) + (old or Figures()) for url, old in pages.items()}
