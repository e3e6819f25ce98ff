"""Pagefind, the search index the portal measured against its own (see ARCHITECTURE.md's search
section): the same records handed to Pagefind's indexer as small generated pages, with the
words containing đ also written with d (Pagefind folds other marks but not đ).

Used by bench/search_budget.py only; needs `pip install -e '.[bench]'`.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable

from chibo.search import SearchRecord
from chibo.text import format_day

_D_WORD = re.compile(r"\w*[đĐ]\w*")
# Records per Pagefind run: Pagefind holds a whole index in memory (about 100 kB a record);
# one run up to 20,000 on a machine with the memory (the search page would merge shards).
SHARD_SIZE = int(os.environ.get("CHIBO_PAGEFIND_SHARD", "20000"))


def d_words(*texts: str) -> str:
    seen: dict[str, None] = {}
    for text in texts:
        for word in _D_WORD.findall(text):
            seen.setdefault(word.replace("đ", "d").replace("Đ", "D"), None)
    return " ".join(seen)


def record_html(record: SearchRecord) -> str:
    e = html.escape
    parts = [record.title, record.text, " ".join(record.tags)]
    content = " \n".join([*parts, d_words(*parts)])

    def data(kind: str, key: str, value: str) -> str:
        return f'<span data-pagefind-{kind}="{key}[data-v]" data-v="{e(value)}"></span>' if value else ""

    return "".join(
        [
            '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title></title></head><body data-pagefind-body>',
            f"<h1>{e(record.title)}</h1><p>{e(content)}</p>",
            data("meta", "link", record.url),
            data("meta", "summary", record.summary),
            data("meta", "date", format_day(record.published, record.with_time) if record.published else ""),
            data("meta", "category", record.category),
            data("filter", "category", record.category),
            data("sort", "date", record.published.isoformat() if record.published else ""),
            "</body></html>",
        ]
    )


def write_pagefind(records: Iterable[SearchRecord], output: str) -> float:
    """Index `records` with Pagefind into `output`/pagefind, pagefind-2, …; the seconds it took."""
    started = time.perf_counter()
    records = list(records)
    scratch = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    for number in range(max(1, -(-len(records) // SHARD_SIZE))):
        part = records[number * SHARD_SIZE : (number + 1) * SHARD_SIZE]
        with tempfile.TemporaryDirectory(prefix="pagefind-", dir=scratch) as folder:
            pages, bundle = os.path.join(folder, "pages"), os.path.join(folder, "bundle")
            os.mkdir(pages)
            for index, record in enumerate(part):
                with open(os.path.join(pages, f"{index:06d}.html"), "w", encoding="utf-8") as f:
                    f.write(record_html(record))
            command = [sys.executable, "-m", "pagefind", "--site", pages, "--output-path", bundle]
            subprocess.run([*command, "--force-language", "vi", "--quiet"], check=True, capture_output=True)
            name = "pagefind" if number == 0 else f"pagefind-{number + 1}"
            shutil.copytree(bundle, os.path.join(output, name), dirs_exist_ok=True)
    return time.perf_counter() - started
