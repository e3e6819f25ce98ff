"""Visitor counter "Lượt truy cập" on a GoatCounter(-compatible) server.

Vietnamese-day arithmetic, the forecast, parsing of the server's counts and the
build-time snapshot through the authenticated API. Nothing here may fail or
hang a build: every network call is bounded and every failure becomes None.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from .cache import atomic_write
from .text import TIMEZONE, format_number

ROWS = ("today", "yesterday", "week", "month", "total", "forecast")
LABELS = {
    "today": "Hôm nay",
    "yesterday": "Hôm qua",
    "week": "Tuần này",
    "month": "Tháng này",
    "total": "Tổng",
    "forecast": "Dự báo hôm nay",
}
FORECAST_HELP = (
    "Dự báo số lượt truy cập cả ngày hôm nay: số lượt từ 0 giờ (giờ Việt Nam) đến nay "
    "× 24 ÷ số giờ đã qua; chưa hiện trong giờ đầu tiên của ngày."
)


@dataclass(frozen=True)
class CounterConfig:
    url: str  # base URL of the GoatCounter server, without a trailing slash
    script: str = ""  # count.js of the server; empty: the portal's own small script counts
    offset: int = 0  # visits carried over from the old site, added to "Tổng"
    rows: tuple[str, ...] = ("today", "yesterday", "total", "forecast")
    timeout: float = 3.0  # seconds, for the browser and for each build-time request
    allow_local: bool = False  # count page views on localhost too (testing a server)
    offset_date: date | None = None  # when the old site's figure was read, shown beside it


def load_counter_config(raw: Any) -> tuple[CounterConfig | None, list[str]]:
    """The counter section of `extra.portal`, or None when no url is set; problems as text."""
    if not raw:
        return None, []
    if not isinstance(raw, dict):
        return None, ["counter: cần các dòng url:, offset:, ..."]
    problems: list[str] = []
    url = str(raw.get("url") or "").strip().rstrip("/")
    if not url:
        return None, []
    allow_local = raw.get("allow_local", False) is True
    if (why := _url_problem(url, allow_local)) is not None:
        problems.append(f"counter.url: {why}")
    script = raw.get("script")
    if script and (why := _url_problem(str(script).strip(), allow_local)) is not None:
        problems.append(f"counter.script: {why}")
    offset = raw.get("offset", 0)
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        problems.append(f"counter.offset: cần một số nguyên không âm, không phải {offset!r}")
        offset = 0
    rows = raw.get("rows", list(CounterConfig.rows))
    if not isinstance(rows, list) or any(r not in ROWS for r in rows):
        problems.append(f"counter.rows: chỉ gồm các giá trị {', '.join(ROWS)}")
        rows = list(CounterConfig.rows)
    timeout = raw.get("timeout", 3)
    if not isinstance(timeout, int | float) or not 0 < timeout <= 3:
        problems.append("counter.timeout: số giây từ 0 đến 3")
        timeout = 3
    offset_date = None
    if raw.get("offset_date"):
        try:
            offset_date = date.fromisoformat(str(raw["offset_date"]).strip())
        except ValueError:
            problems.append(f'counter.offset_date: "{raw["offset_date"]}" không phải ngày; hãy viết ví dụ 2026-11-28')
    return CounterConfig(
        url=url,
        script=str(script).strip() if script else "",
        offset=offset,
        rows=tuple(rows),
        timeout=float(timeout),
        allow_local=allow_local,
        offset_date=offset_date,
    ), problems


_LOOPBACK = re.compile(r"^(localhost|127(?:\.\d{1,3}){3}|::1)$", re.IGNORECASE)


def _url_problem(url: str, allow_local: bool) -> str | None:
    """Why the counter cannot be reached at `url` (its token goes there): https only, except a
    server on this machine when `allow_local: true` says so (a test or a preview)."""
    parts = urllib.parse.urlsplit(url)
    local = bool(_LOOPBACK.match(parts.hostname or ""))
    if parts.scheme == "https" and parts.hostname and not local:
        return None
    if local and allow_local and parts.scheme in ("http", "https"):
        return None
    if local:
        return f'"{url}" là máy này; chỉ dùng được khi thêm allow_local: true (khi thử nghiệm)'
    return f'"{url}" phải là địa chỉ https:// của máy chủ GoatCounter, ví dụ https://thongke.ctxhdanang.vn'


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """The token is for the configured server only: a redirect is a failure, never followed."""

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> None:
        raise urllib.error.HTTPError(req.full_url, code, f"chuyển hướng tới {newurl} (không đi theo)", headers, fp)


_OPENER = urllib.request.build_opener(_NoRedirect())


def parse_count(value: Any) -> int | None:
    """'1 234' (with thin or narrow spaces), '1.234' or 1234 -> 1234; None if no digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    digits = re.sub(r"\D", "", str(value))
    return int(digits) if digits else None


def vn_day(moment: datetime) -> date:
    return moment.astimezone(TIMEZONE).date()


def vn_day_bounds(day: date) -> tuple[datetime, datetime]:
    """UTC start (inclusive) and end (exclusive) of a Vietnamese day: (D-1)T17:00Z to DT17:00Z."""
    start = datetime(day.year, day.month, day.day, tzinfo=TIMEZONE).astimezone(UTC)
    return start, start + timedelta(days=1)


def forecast(today_count: int, now: datetime) -> int | None:
    """Today's count scaled to a whole day; None in the first hour (too noisy to say)."""
    local = now.astimezone(TIMEZONE)
    hours = local.hour + local.minute / 60 + local.second / 3600
    if hours < 1:
        return None
    return round(today_count * 24 / hours)


def hourly_by_vn_day(stats: list[dict[str, Any]]) -> dict[date, int]:
    """Sum the API's UTC hourly buckets into Vietnamese days."""
    days: dict[date, int] = {}
    for entry in stats:
        utc_day = date.fromisoformat(str(entry["day"]))
        for hour, count in enumerate(entry.get("hourly") or []):
            moment = datetime(utc_day.year, utc_day.month, utc_day.day, hour, tzinfo=UTC)
            key = vn_day(moment)
            days[key] = days.get(key, 0) + (parse_count(count) or 0)
    return days


@dataclass(frozen=True)
class Snapshot:
    """Exact figures by Vietnamese day, taken at build time."""

    taken: datetime
    values: dict[str, int]

    @property
    def day(self) -> str:
        return vn_day(self.taken).isoformat()

    @property
    def taken_label(self) -> str:
        return f"cập nhật lúc {self.taken.astimezone(TIMEZONE):%H:%M}"


def save_snapshot(path: Path, snapshot: Snapshot, config: CounterConfig) -> None:
    """Keep the last good figures (a file the publishing workflow caches) for the next build."""
    data = {"url": config.url, "taken": snapshot.taken.isoformat(), "values": snapshot.values}
    atomic_write(path, json.dumps(data).encode())


def load_snapshot(path: Path, config: CounterConfig) -> Snapshot | None:
    """The figures saved by an earlier build for the same server; None if there are none."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("url") != config.url:
            return None
        values = {k: v for k, v in data["values"].items() if k in ROWS and isinstance(v, int)}
        return Snapshot(datetime.fromisoformat(data["taken"]), values)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


NOT_YET = "chưa có"  # a row with no figure yet: said plainly, never a dash


@dataclass(frozen=True)
class BoxRow:
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class CounterBox:
    """What the "Lượt truy cập" box shows when the page is built."""

    rows: tuple[BoxRow, ...]
    note: str  # when the figures were taken, or where "Tổng" comes from
    snapshot_day: str  # the Vietnamese day of the figures, for the browser's refresh; "" if none


def counter_box(config: CounterConfig, snapshot: Snapshot | None, now: datetime) -> CounterBox:
    """Rows of the box: a snapshot of today in full; an older one for "Tổng" only (its day
    has passed); without one, the figure carried over from the old site."""
    values: dict[str, int] = {}
    note = ""
    day = ""
    if snapshot is not None:
        day = snapshot.day
        taken = snapshot.taken.astimezone(TIMEZONE)
        if vn_day(snapshot.taken) == vn_day(now):
            values = dict(snapshot.values)
            note = snapshot.taken_label
        else:
            values = {"total": snapshot.values["total"]} if "total" in snapshot.values else {}
            note = f"Tổng cập nhật lúc {taken:%H:%M} ngày {taken:%d/%m/%Y}"
    total = format_number(values["total"]) if "total" in values else NOT_YET
    if "total" not in values and config.offset:
        since = f"đến {config.offset_date:%d/%m/%Y}" if config.offset_date else "từ trang cũ"
        total = format_number(config.offset)
        note = f"Tổng: số lượt {since}; số liệu mới sẽ được cộng thêm khi có."
    rows = tuple(
        BoxRow(row, LABELS[row], total if row == "total" else format_number(values[row]) if row in values else NOT_YET)
        for row in config.rows
    )
    return CounterBox(rows, note, day)


def compute_snapshot(total_all: int, day_counts: dict[date, int], offset: int, now: datetime) -> Snapshot:
    today = vn_day(now)
    monday = today - timedelta(days=today.weekday())
    values = {
        "today": day_counts.get(today, 0),
        "yesterday": day_counts.get(today - timedelta(days=1), 0),
        "week": sum(c for d, c in day_counts.items() if monday <= d <= today),
        "month": sum(
            c for d, c in day_counts.items() if d.year == today.year and d.month == today.month and d <= today
        ),
        "total": total_all + offset,
    }
    if (f := forecast(values["today"], now)) is not None:
        values["forecast"] = f
    return Snapshot(now, values)


def _get_json(url: str, token: str, timeout: float) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    with _OPENER.open(request, timeout=timeout) as response:  # configured https URL, no redirect
        return json.loads(response.read(1_000_000).decode("utf-8"))


def hits_reader(config: CounterConfig, token: str) -> Any:
    """A reader of `GET /api/v0/stats/hits` pages: (start, end, path ids already read) ->
    (hits, more), 100 paths a page, each path's counts by day."""

    def page(start: datetime, end: datetime, seen: list[int]) -> tuple[list[dict[str, Any]], bool]:
        query = {"start": _rfc3339(start), "end": _rfc3339(end), "limit": 100, "daily": "true"}
        if seen:
            query["exclude_paths"] = ",".join(str(i) for i in seen)
        answer = _get_json(f"{config.url}/api/v0/stats/hits?{urlencode(query)}", token, config.timeout)
        hits = answer.get("hits") if isinstance(answer, dict) else None
        if not isinstance(hits, list):
            raise ValueError("máy chủ trả lời không đúng dạng")
        return hits, bool(answer.get("more"))

    return page


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def fetch_snapshot(
    config: CounterConfig, token: str, now: datetime, budget: float = 6.0
) -> tuple[Snapshot | None, str]:
    """Ask the API for the figures; (None, reason) on any failure. Bounded by `budget` seconds."""
    deadline = time.monotonic() + budget
    today = vn_day(now)
    # The month (for "Tháng này"), the week and yesterday all start on or after this day.
    first = min(today.replace(day=1), today - timedelta(days=today.weekday()), today - timedelta(days=1))
    window_start, _ = vn_day_bounds(first)
    api = f"{config.url}/api/v0/stats/total"
    try:
        remaining = deadline - time.monotonic()
        everything = _get_json(
            f"{api}?{urlencode({'start': '2000-01-01T00:00:00Z', 'end': _rfc3339(now)})}",
            token,
            min(config.timeout, remaining),
        )
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None, "hết thời gian chờ"
        recent = _get_json(
            f"{api}?{urlencode({'start': _rfc3339(window_start), 'end': _rfc3339(now)})}",
            token,
            min(config.timeout, remaining),
        )
        total = parse_count(everything.get("total"))
        if total is None or not isinstance(recent.get("stats"), list):
            return None, "máy chủ trả lời không đúng dạng"
        return compute_snapshot(total, hourly_by_vn_day(recent["stats"]), config.offset, now), ""
    except urllib.error.HTTPError as exc:
        return None, f"máy chủ trả lời HTTP {exc.code}"
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return None, f"{type(exc).__name__}: {exc}"


def _public_total(config: CounterConfig) -> tuple[int | None, str]:
    """The public counter's total (what readers' browsers ask); (None, what is wrong) on failure."""
    url = f"{config.url}/counter/TOTAL.json"
    try:
        with _OPENER.open(url, timeout=config.timeout) as response:  # configured URL, no redirect
            count = parse_count(json.loads(response.read(100_000).decode("utf-8")).get("count"))
    except urllib.error.HTTPError as exc:
        if exc.code == 403:
            return None, (
                f'{url} trả lời 403: máy chủ chạy nhưng chưa bật "Allow adding visitor counts on your website" '
                "(Settings → Site settings); khi chưa bật, trình duyệt của bạn đọc không cập nhật được số liệu."
            )
        if exc.code == 404:
            return None, f"{url} trả lời 404: địa chỉ (mã trang GoatCounter) sai, hoặc máy chủ chưa ghi nhận lượt nào."
        return None, f"{url} trả lời HTTP {exc.code}."
    except (OSError, ValueError, AttributeError) as exc:
        return None, f"không kết nối được tới {url} ({type(exc).__name__}: {exc}); hãy kiểm tra địa chỉ và tên miền."
    if count is None:
        return None, f"{url} trả lời không đúng dạng của GoatCounter; địa chỉ có đúng là máy chủ GoatCounter không?"
    return count, ""


def _diagnose_hits(config: CounterConfig, token: str, now: datetime, lines: list[str]) -> bool:
    """Whether the token reads the paths' counts (ratings and "Đọc nhiều" need it)."""
    from .ratings import parse_event  # ratings build on this module

    try:
        hits, more = hits_reader(config, token)(now - timedelta(days=30), now, [])
    except (OSError, ValueError) as exc:
        lines.append(f"✗ Đọc số lượt theo trang (stats/hits): {exc}; đánh giá và «Đọc nhiều» giữ số liệu lần trước.")
        return False
    events = sum(1 for h in hits if isinstance(h, dict) and parse_event(str(h.get("path", ""))))
    pages = sum(1 for h in hits if isinstance(h, dict) and not h.get("event"))
    lines.append(
        f"✓ Đọc được số lượt theo trang: 30 ngày qua có {pages}{'+' if more else ''} trang được xem và "
        f"{events} đường dẫn đánh giá (danh-gia/…) trong trang đầu của kết quả."
    )
    return True


def diagnose(config: CounterConfig | None, token: str, now: datetime) -> tuple[bool, list[str]]:
    """What `chibo counter` prints: each check's result in Vietnamese, then the box as it
    would be built now. The first value says whether everything works."""
    if config is None:
        return False, [
            "Bộ đếm chưa bật: thêm vào mkdocs.yml, mục extra: portal:, các dòng",
            "  counter:",
            "    url: https://thongke.ten-mien-cua-don-vi.vn",
            "(xem HUONG-DAN.md, mục bộ đếm).",
        ]
    ok = True
    lines = [f"Máy chủ bộ đếm: {config.url}"]
    count, problem = _public_total(config)
    if count is None:
        ok = False
        lines.append(f"✗ Bộ đếm công khai: {problem}")
    else:
        lines.append(f"✓ Bộ đếm công khai trả lời: {format_number(count)} lượt (chưa cộng số của trang cũ).")
    snapshot = None
    if not token:
        lines.append(
            "• Chưa có khoá API (biến môi trường GOATCOUNTER_TOKEN): trang vẫn có bộ đếm, nhưng số liệu "
            "lúc xây dựng (Hôm nay, Hôm qua theo giờ Việt Nam) chỉ có khi đặt khoá này."
        )
    else:
        snapshot, reason = fetch_snapshot(config, token, now)
        if snapshot is None:
            ok = False
            if "401" in reason or "403" in reason:
                reason += ": khoá API bị từ chối; hãy tạo khoá mới có quyền xem thống kê (Read statistics)"
            lines.append(f"✗ Khoá API: {reason}.")
        else:
            lines.append("✓ Khoá API được chấp nhận; số liệu lúc xây dựng lấy được.")
            ok = _diagnose_hits(config, token, now, lines) and ok
    box = counter_box(config, snapshot, now)
    lines.append("Khung «Lượt truy cập» sẽ hiện:")
    lines += [f"  {row.label}: {row.value}" for row in box.rows]
    if box.note:
        lines.append(f"  ({box.note})")
    return ok, lines
