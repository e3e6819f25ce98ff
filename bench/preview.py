"""The preview as an editor uses it: `mkdocs serve` on N generated articles (4,000 by default).

    python bench/preview.py            # 4,000 articles, 20 saves
    python bench/preview.py 2000 --saves 10

1. Body edits: each save gives the newest article a new sentence; measured from the file's write
   to the first HTTP response of its page that contains the sentence (polled every 10 ms), and
   until the served search index has the sentence's new word (it follows in the background);
   after the rebuild, the files it wrote (new or with a new modification time) in the served
   folder, and the server's memory, open files and temporary folders.
2. Title edits (5 by default): from the file's write until the home page, the category's
   listing, the feed, the article's new address and another article's related list show the new
   title; then the old address must answer 404.
3. A deleted article: until its page answers 404.

Run by hand; it takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from run import REPO, WORK, corpus, write_portal

sys.path.insert(0, str(REPO / "hooks"))
from chibo.site import STAGING  # noqa: E402
from chibo.text import slugify  # noqa: E402


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:  # not listening yet, or busy rebuilding
        return 0, ""


def _until(check, timeout: float = 60.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if check():
            return time.perf_counter() - started
        time.sleep(0.01)
    raise SystemExit("the preview never showed the change")


class Server:
    """`mkdocs serve` with its build folder in `temp`; counts the rebuilds it reports."""

    def __init__(self, config: Path, temp: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}/"
        self.temp = temp
        self.builds: list[float] = []  # when each build ended
        self.seconds: list[float] = []  # MkDocs' own figures, where it printed them
        self.answered: list[float] = []  # the portal's own figures for the saves it answered
        self.building = False
        self.log: list[str] = []
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "serve",
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(config),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temp)},
            cwd=config.parent,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.log.append(line)
            # MkDocs logs "Documentation built in …" only when the figure differs from an earlier
            # one; "Building documentation..." and "Reloading browsers" come every time
            if "Building documentation" in line:
                self.building = True
            elif "Reloading browsers" in line or "Serving on" in line:
                self.building = False
                self.builds.append(time.perf_counter())
            elif match := re.search(r"built in ([\d.]+) seconds", line):
                self.seconds.append(float(match.group(1)))
            elif match := re.search(r"Đã cập nhật .* trong ([\d.]+) giây", line):
                self.answered.append(float(match.group(1)))  # a save the portal wrote without a rebuild
                self.builds.append(time.perf_counter())

    @property
    def served(self) -> Path:
        return next(self.temp.glob("mkdocs_*"))

    def files(self) -> dict[str, int]:
        out = {}
        for folder, _, names in os.walk(self.served):  # os.walk: folders may go while it looks
            for name in names:
                try:
                    out[os.path.join(folder, name)] = os.stat(os.path.join(folder, name)).st_mtime_ns
                except FileNotFoundError:
                    continue
        return out

    def health(self) -> tuple[int, int, int]:
        """(resident memory in MB, open files, temporary folders)."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024
        return rss, len(os.listdir(f"/proc/{self.proc.pid}/fd")), len(list(self.temp.iterdir()))

    def settle(self) -> None:
        """Wait until no rebuild has been running for half a second."""
        _until(lambda: not self.building and time.perf_counter() - self.builds[-1] > 0.5, 120)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=30)


def _searchable(base: str, word: str) -> bool:
    """Whether the served search index lists `word` (a key of digits: as written)."""
    import json

    from chibo.search import words_file

    status, text = _get(base + "tim-kiem/chi-muc/meta.json")
    if status != 200:
        return False
    status, text = _get(base + f"tim-kiem/chi-muc/{words_file(json.loads(text), word)}")
    return status == 200 and word in json.loads(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=4000)
    parser.add_argument("--saves", type=int, default=20)
    parser.add_argument("--titles", type=int, default=5)
    args = parser.parse_args()
    root = WORK / f"preview-{args.n}"
    if root.exists():
        subprocess.run(["rm", "-rf", str(root)], check=True)
    posts = corpus(args.n)
    config = write_portal(root, posts)
    newest = max(range(len(posts)), key=lambda i: (posts[i]["date"], i))
    post = posts[newest]
    source = root / "docs/bai-viet" / str(post["date"].year) / f"bai-{newest}.md"
    url = f"bai-viet/{post['date']:%Y/%m}/{slugify(post['title'])}/"
    (root / "tmp").mkdir()
    server = Server(config, root / "tmp")
    try:
        _until(lambda: _get(server.base + url)[0] == 200, 300)
        server.settle()
        print(f"{args.n:,} articles; first build {server.seconds[0]:.1f} s; serving {url}")
        original = source.read_text(encoding="utf-8")
        times, found, written, health = [], [], [], []
        for save in range(1, args.saves + 1):
            before = server.files()
            stamp = str(time.time_ns())
            sentence = f"Câu mới số {save} của biên tập viên {stamp}."
            started = time.perf_counter()
            source.write_text(original + f"\n{sentence}\n", encoding="utf-8")
            times.append(_until(lambda sentence=sentence: sentence in _get(server.base + url)[1]))
            _until(lambda stamp=stamp: _searchable(server.base, stamp), 60)
            found.append(time.perf_counter() - started)
            server.settle()
            time.sleep(0.5)
            after = server.files()
            changed = [path for path, mtime in after.items() if before.get(path) != mtime]
            staged = sum(1 for path in changed if f"/{STAGING}/" in path)
            index = sum(1 for path in changed if "/tim-kiem/chi-muc/" in path)
            written.append((len(changed) - staged - index, staged, index))
            health.append(server.health())
        print(
            "| save | seen after | searchable after | files written (served; MkDocs' staging; search index) "
            "| memory, open files, temporary folders |"
        )
        print("| ---: | ---: | ---: | ---: | --- |")
        for k in (0, 1, len(times) - 1):
            rss, fds, temps = health[k]
            served, staged, index = written[k]
            print(
                f"| {k + 1} | {times[k]:.2f} s | {found[k]:.2f} s | {served:,}; {staged:,}; {index:,} "
                f"| {rss} MB, {fds}, {temps} |"
            )
        print(f"MkDocs' own 'built in' figures: {', '.join(f'{s:.2f}' for s in server.seconds[1:])} s")
        if server.answered:
            print(
                f"saves the portal answered without MkDocs' rebuild: {len(server.answered)}, "
                f"in a median {statistics.median(server.answered):.3f} s of its own"
            )
        print(
            f"median of {len(times)} saves: {statistics.median(times):.2f} s to the page, "
            f"{statistics.median(found):.2f} s until the search index has the new words; "
            f"files written to the served site: median {statistics.median(w[0] for w in written):,.0f} "
            f"and {statistics.median(w[2] for w in written):,.0f} of the search index"
        )

        # new titles reach every page that shows them
        seen, answered, current_url, text = [], len(server.answered), url, original
        for edit in range(1, args.titles + 1):
            title = f"Tiêu đề đã sửa lần {edit} lúc {time.time_ns()}"
            edited = re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
            slug = current_url.rstrip("/").rsplit("/", 1)[1]
            related = next(
                page.relative_to(server.served).parent.as_posix() + "/"
                for page in server.served.glob("bai-viet/*/*/*/index.html")
                if slug not in str(page) and f"/{slug}/" in page.read_text(encoding="utf-8")
            )
            new_url = f"bai-viet/{post['date']:%Y/%m}/{slugify(title)}/"
            started = time.perf_counter()
            source.write_text(edited, encoding="utf-8")
            for where in ("", f"{slugify(post['category'])}/", "feed.xml", new_url, related):
                _until(lambda where=where, title=title: title in _get(server.base + where)[1])
            seen.append(time.perf_counter() - started)
            server.settle()
            time.sleep(0.5)
            assert _get(server.base + current_url)[0] == 404, f"the old address /{current_url} still answers"
            current_url, text = new_url, edited
        own = server.answered[answered:]
        print(
            f"new titles on home, category listing, feed, the new page and a related list: "
            f"{', '.join(f'{s:.2f}' for s in seen)} s, median {statistics.median(seen):.2f} s; "
            f"each old address answers 404; the portal answered {len(own)} of {len(seen)} without "
            f"MkDocs' rebuild" + (f", in a median {statistics.median(own):.3f} s of its own" if own else "")
        )

        # a deleted article leaves the preview
        victim = next(i for i in range(len(posts)) if i != newest)
        victim_url = f"bai-viet/{posts[victim]['date']:%Y/%m}/{slugify(posts[victim]['title'])}/"
        assert _get(server.base + victim_url)[0] == 200
        (root / "docs/bai-viet" / str(posts[victim]["date"].year) / f"bai-{victim}.md").unlink()
        print(f"deleted article gone (404) after {_until(lambda: _get(server.base + victim_url)[0] == 404):.2f} s")
    except BaseException:
        print("".join(line for line in server.log if "Detected" not in line and "Reloading" not in line)[-6000:])
        raise
    finally:
        server.stop()


if __name__ == "__main__":
    main()
