"""The preview as an editor uses it: `mkdocs serve` on N generated articles (4,000 by default).

    python bench/preview.py            # 4,000 articles, 20 saves
    python bench/preview.py 2000 --saves 10

1. Body edits: each save gives the newest article a new sentence; measured from the file's write
   to the first HTTP response of its page that contains the sentence (polled every 10 ms), and
   after the rebuild, the files it wrote (new or with a new modification time) in the served
   folder, and the server's memory, open files and temporary folders.
2. A title edit: until the home page, the category's listing, the feed and the article's new
   address show the new title, and whether the old address is gone.
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
        self.builds: list[float] = []
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
            if match := re.search(r"built in ([\d.]+) seconds", line):
                self.builds.append(float(match.group(1)))

    @property
    def served(self) -> Path:
        return next(self.temp.glob("mkdocs_*"))

    def files(self) -> dict[str, int]:
        return {str(p): p.stat().st_mtime_ns for p in self.served.rglob("*") if p.is_file()}

    def health(self) -> tuple[int, int, int]:
        """(resident memory in MB, open files, temporary folders)."""
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) // 1024
        return rss, len(os.listdir(f"/proc/{self.proc.pid}/fd")), len(list(self.temp.iterdir()))

    def settle(self, builds: int) -> None:
        _until(lambda: len(self.builds) >= builds, 120)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=4000)
    parser.add_argument("--saves", type=int, default=20)
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
        server.settle(1)
        print(f"{args.n:,} articles; first build {server.builds[0]:.1f} s; serving {url}")
        original = source.read_text(encoding="utf-8")
        times, written, health = [], [], []
        for save in range(1, args.saves + 1):
            before = server.files()
            sentence = f"Câu mới số {save} của biên tập viên {time.time_ns()}."
            source.write_text(original + f"\n{sentence}\n", encoding="utf-8")
            times.append(_until(lambda sentence=sentence: sentence in _get(server.base + url)[1]))
            server.settle(1 + save)
            after = server.files()
            written.append(sum(1 for path, mtime in after.items() if before.get(path) != mtime))
            health.append(server.health())
        print("| save | seen after | files written | server's own 'built in' | memory, open files, temp folders |")
        print("| ---: | ---: | ---: | ---: | --- |")
        for k in (0, 1, len(times) - 1):
            rss, fds, temps = health[k]
            print(
                f"| {k + 1} | {times[k]:.2f} s | {written[k]:,} | {server.builds[k + 1]:.2f} s | {rss} MB, {fds}, {temps} |"
            )
        print(
            f"median of {len(times)} saves: {statistics.median(times):.2f} s; files written: median {statistics.median(written):,.0f}"
        )

        # a new title reaches every page that shows it
        title = f"Tiêu đề đã sửa lúc {time.time_ns()}"
        edited = original.replace(f"title: {post['title']}", f"title: {title}", 1)
        assert edited != original
        source.write_text(edited, encoding="utf-8")
        category = slugify(post["category"])
        new_url = f"bai-viet/{post['date']:%Y/%m}/{slugify(title)}/"
        started = time.perf_counter()
        for where in ("", f"{category}/", "feed.xml", new_url):
            _until(lambda where=where: title in _get(server.base + where)[1])
        seen = time.perf_counter() - started
        server.settle(2 + args.saves)
        gone = _get(server.base + url)[0]
        print(f"new title on home, category listing, feed and its new page: {seen:.2f} s; old address answers {gone}")

        # a deleted article leaves the preview
        victim = next(i for i in range(len(posts)) if i != newest)
        victim_url = f"bai-viet/{posts[victim]['date']:%Y/%m}/{slugify(posts[victim]['title'])}/"
        assert _get(server.base + victim_url)[0] == 200
        (root / "docs/bai-viet" / str(posts[victim]["date"].year) / f"bai-{victim}.md").unlink()
        print(f"deleted article gone (404) after {_until(lambda: _get(server.base + victim_url)[0] == 404):.2f} s")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
