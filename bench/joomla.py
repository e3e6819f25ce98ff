"""Benchmark of moving a Joomla 3 site: a site of N articles (the model article's paragraphs
as Joomla HTML, read-more, tags, ratings, hits, nested categories with menu items) loaded into
a MariaDB server started here, exported with `mariadb-dump`, then

- `chibo import --joomla` of that dump into a new portal: wall time and peak memory;
- cold builds of the imported site with and without its old addresses (docs/dia-chi-cu.json):
  what the redirect pages cost the build, how many files and bytes they add.

    python bench/joomla.py --articles 10000
    python bench/joomla.py --articles 10000 --configuration

With `--configuration` the import also reads the old site's `configuration.php` (Joomla's
defaults: SEF addresses on, URL rewriting and the .html suffix off), as it does when the mirror
given to --site-root has one; without it, every form of every address is answered.

Run by hand (minutes), not in the tests. Needs Debian's mariadb-server and mariadb-client.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from run import WORK, corpus, measure, write_portal  # noqa: E402
from support.joomla import JoomlaData, mariadb_server  # noqa: E402

# the old site's categories: (id, title, alias, parent) and the portal category each maps to
CATEGORIES = [
    (8, "Tin tức", "tin-tuc", 1, "Tin hoạt động"),
    (9, "Hoạt động", "hoat-dong", 8, "Tin hoạt động"),
    (10, "Thông báo", "thong-bao", 1, "Thông báo"),
    (11, "Xây dựng Đảng", "xay-dung-dang", 1, "Xây dựng Đảng"),
    (12, "Văn bản", "van-ban", 1, "Văn bản"),
]


def joomla_data(n: int) -> JoomlaData:
    rng = random.Random(3)
    data = JoomlaData()
    data.add("categories", id=1, parent_id=0, path="", extension="system", title="ROOT", alias="root")
    for cid, title, alias, parent, _ in CATEGORIES:
        data.category(cid, title, alias, parent=parent)
        data.add("menu", id=100 + cid, title=title, alias=alias, path=alias,
                 link=f"index.php?option=com_content&view=category&layout=blog&id={cid}")  # fmt: skip
    data.add("users", id=42, name="Nguyễn Văn An", username="an")
    for tid, tag in enumerate(("Chi bộ", "Hội nghị", "Đảng viên", "Học tập", "Thi đua"), start=2):
        data.add("tags", id=tid, title=tag, alias=f"the-{tid}", path=f"the-{tid}")
    for i, post in enumerate(corpus(n)):
        aid = i + 1
        paras = [f"<p>{p}</p>" if not p.startswith("## ") else f"<h2>{p[3:]}</h2>" for p in post["body"].split("\n\n")]
        state = 1 if i % 50 else rng.choice((0, 2, -2))
        data.article(
            aid, post["title"], f"bai-{aid}", [9, 10, 11, 12, 8][i % 5], f"{post['date']:%Y-%m-%d} 02:00:00",
            "\r\n".join(paras[:1]), fulltext="\r\n".join(paras[1:]), state=state, created_by=42, hits=rng.randrange(5000),
            publish_up=f"{post['date']:%Y-%m-%d} 02:00:00", metadesc=post["title"][:80],
        )  # fmt: skip
        for tid in rng.sample(range(2, 7), 2):
            data.add("contentitem_tag_map", type_alias="com_content.article", core_content_id=aid,
                     content_item_id=aid, tag_id=tid, type_id=1)  # fmt: skip
        if i % 7 == 0:
            data.add("content_rating", content_id=aid, rating_sum=rng.randint(10, 50), rating_count=10, lastip="")
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--configuration", action="store_true", help="a mirror with Joomla's default configuration.php")
    args = parser.parse_args()
    root = WORK / f"joomla-{args.articles}{'-configured' if args.configuration else ''}"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    with mariadb_server(root / "server") as server:
        t0 = time.perf_counter()
        server.load("joomla", joomla_data(args.articles))
        loaded = time.perf_counter() - t0
        dump = server.mariadb_dump("joomla", root / "joomla.sql")
    config = write_portal(root / "portal", [])
    maps = [a for _, title, _, _, portal in CATEGORIES for a in ("--category-map", f"{title}={portal}")]
    maps[maps.index("--category-map", 0) + 1] = "Tin tức=Tin hoạt động"
    command = [sys.executable, "-m", "chibo.cli", "import", "--joomla", str(dump), *maps]
    if args.configuration:
        (root / "mirror").mkdir()
        (root / "mirror/configuration.php").write_text(
            "<?php\nclass JConfig {\n\tpublic $sef = '1';\n\tpublic $sef_rewrite = '0';\n\tpublic $sef_suffix = '0';\n}\n"
        )
        command += ["--site-root", str(root / "mirror")]
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, cwd=config.parent, stdout=subprocess.DEVNULL, env={**os.environ})
    _, status, usage = os.wait4(proc.pid, 0)
    imported = time.perf_counter() - t0
    if status != 0:
        raise SystemExit("import failed")
    docs = config.parent / "docs"
    files = len(list((docs / "bai-viet").rglob("*.md")))
    addresses = docs / "dia-chi-cu.json"
    print(f"{args.articles} articles; dump {dump.stat().st_size / 1e6:.1f} MB (loaded into MariaDB in {loaded:.1f} s)")
    print(f"import: {imported:.1f} s, peak {usage.ru_maxrss / 1024:.0f} MB, {files} article files")
    routes = json.loads(addresses.read_text(encoding="utf-8"))
    print(f"old addresses: {sum(len(a['routes']) for a in routes['articles'].values())} article routes, "
          f"map {addresses.stat().st_size / 1e6:.1f} MB")  # fmt: skip
    with_map = measure(config)
    site = with_map["site"]
    stubs = [p for p in site.rglob("*.html") if "refresh" in p.read_text(encoding="utf-8", errors="replace")[:600]]
    stub_bytes = sum(p.stat().st_size for p in stubs)
    everything = sum(1 for p in site.rglob("*") if p.is_file())
    addresses.rename(root / "dia-chi-cu.json")
    without = measure(config)
    print(f"cold build with old addresses: {with_map['wall']:.1f} s, {with_map['size_mb']:.0f} MB, {everything} files,"
          f" peak {with_map['rss_mb']:.0f} MB")  # fmt: skip
    print(f"cold build without them: {without['wall']:.1f} s, {without['size_mb']:.0f} MB")
    print(f"redirect pages: {len(stubs)} files, {stub_bytes / 1e6:.1f} MB; "
          f"+{with_map['wall'] - without['wall']:.1f} s on the build")  # fmt: skip


if __name__ == "__main__":
    main()
