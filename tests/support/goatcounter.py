"""A test server on 127.0.0.1 that speaks the GoatCounter endpoints the portal uses:
/count.js, /count, /counter/TOTAL.json, /api/v0/stats/total and /api/v0/stats/hits (Bearer
token), the last as GoatCounter documents it: paths sorted by count, `limit` (at most 100),
`exclude_paths` for the next page, `more`, each path's counts by day."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "test-token"
GIF = bytes.fromhex("47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b")


def hourly_value(day: date, hour: int) -> int:
    """Page views in the UTC hour starting at `day` `hour`: distinct, easy to sum."""
    return hour + 1


class GoatCounterStub:
    """mode: ok | slow | forbidden | garbage | notfound."""

    def __init__(self, total: int = 1_000_000, mode: str = "ok", delay: float = 6.0) -> None:
        self.total = total
        self.mode = mode
        self.delay = delay
        self.hits: list[dict[str, list[str]]] = []
        self.api_calls: list[str] = []
        self.counter_calls: list[str] = []
        # /api/v0/stats/hits: path -> (is an event, {"YYYY-MM-DD": count})
        self.paths: dict[str, tuple[bool, dict[str, int]]] = {}
        self.hits_calls: list[dict[str, list[str]]] = []
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self, port: int = 0) -> GoatCounterStub:
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _send(self, status: int, body: bytes, ctype: str, cors: bool = False) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                if cors:
                    self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 - http.server's API
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                if parts.path == "/count":
                    stub.hits.append(query)
                    return self._send(200, GIF, "image/gif", cors=True)
                if parts.path == "/count.js":
                    return self._send(200, b"window.goatcounter = window.goatcounter || {};", "text/javascript")
                if stub.mode == "slow":
                    time.sleep(stub.delay)
                if stub.mode == "forbidden":
                    return self._send(403, b"counter not allowed", "text/plain", cors=True)
                if stub.mode == "notfound":
                    return self._send(404, b"not found", "text/plain", cors=True)
                if stub.mode == "garbage":
                    return self._send(200, b"<html>oops", "application/json", cors=True)
                if parts.path == "/counter/TOTAL.json":
                    stub.counter_calls.append(parts.query)
                    count = stub.range_total(query.get("start", [None])[0], query.get("end", [None])[0], days=True)
                    text = f"{count:,}".replace(",", "\u202f")  # as the server formats it
                    body = json.dumps({"count": text, "count_unique": text}).encode()
                    return self._send(200, body, "application/json", cors=True)
                if parts.path == "/api/v0/stats/hits":
                    stub.hits_calls.append(query)
                    if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                        return self._send(401, b'{"error": "no token"}', "application/json")
                    return self._send(200, json.dumps(stub.api_hits(query)).encode(), "application/json")
                if parts.path == "/api/v0/stats/total":
                    stub.api_calls.append(parts.query)
                    if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                        return self._send(401, b'{"error": "no token"}', "application/json")
                    start = datetime.fromisoformat(query["start"][0].replace("Z", "+00:00"))
                    end = datetime.fromisoformat(query["end"][0].replace("Z", "+00:00"))
                    return self._send(200, json.dumps(stub.api_total(start, end)).encode(), "application/json")
                return self._send(404, b"not found", "text/plain")

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def api_total(self, start: datetime, end: datetime) -> dict:
        if start.year < 2010:  # "everything"
            return {"total": self.total, "total_events": 0, "total_utc": self.total, "stats": []}
        stats = []
        day = start.date()
        while day <= end.date():
            hourly = []
            for hour in range(24):
                moment = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
                inside = start - timedelta(hours=1) < moment <= end
                hourly.append(hourly_value(day, hour) if inside else 0)
            stats.append({"day": day.isoformat(), "hourly": hourly, "daily": sum(hourly)})
            day += timedelta(days=1)
        return {"total": sum(s["daily"] for s in stats), "total_events": 0, "total_utc": 0, "stats": stats}

    def api_hits(self, query: dict[str, list[str]]) -> dict:
        start = datetime.fromisoformat(query["start"][0].replace("Z", "+00:00"))
        end = datetime.fromisoformat(query["end"][0].replace("Z", "+00:00"))
        limit = min(int(query.get("limit", ["20"])[0]), 100)
        excluded = {int(i) for i in query.get("exclude_paths", [""])[0].split(",") if i}
        rows = []
        for number, (path, (event, days)) in enumerate(sorted(self.paths.items()), start=1):
            stats = [
                {"day": day, "hourly": [0] * 24, "daily": n}
                for day, n in sorted(days.items())
                if start <= datetime.fromisoformat(day).replace(tzinfo=UTC) < end
            ]
            count = sum(s["daily"] for s in stats)
            if count and number not in excluded:
                rows.append({"path_id": number, "path": path, "event": event, "title": "", "count": count,
                             "max": count, "stats": stats})  # fmt: skip
        rows.sort(key=lambda r: -r["count"])
        return {"hits": rows[:limit], "total": sum(r["count"] for r in rows), "more": len(rows) > limit}

    def range_total(self, start: str | None, end: str | None, days: bool) -> int:
        if not start:
            return self.total
        first, last = date.fromisoformat(start), date.fromisoformat(end or start)
        total, day = 0, first
        while day <= last:
            total += sum(hourly_value(day, h) for h in range(24))
            day += timedelta(days=1)
        return total
