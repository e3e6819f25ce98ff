"""Warm publishing builds: what the workflow's cache (`.cache/chibo/`) saves after a small change.

    python bench/warm.py            # 10,000 articles
    python bench/warm.py 4000

As the publishing workflow runs: a fresh checkout (no site/), the cache restored. Three builds
of N generated articles: cold (empty cache), then one article's body changed and built warm
(the first build's cache, no site/), then the same content cold again; prints the times and
whether the warm and the second cold output are byte-identical.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from run import WORK, corpus, write_portal


def build(config: Path, cache: Path) -> float:
    shutil.rmtree(config.parent / "site", ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "CHIBO_CACHE_DIR": str(cache)},
    )
    return time.perf_counter() - started


def differences(left: Path, right: Path) -> list[str]:
    out = []
    for folder, _, names in os.walk(left):
        for name in names:
            a = Path(folder) / name
            b = right / a.relative_to(left)
            if not b.is_file() or not filecmp.cmp(a, b, shallow=False):
                out.append(str(a.relative_to(left)))
    out += [
        str(p.relative_to(right))
        for p in right.rglob("*")
        if p.is_file() and not (left / p.relative_to(right)).exists()
    ]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    args = parser.parse_args()
    root = WORK / f"warm-{args.n}"
    shutil.rmtree(root, ignore_errors=True)
    posts = corpus(args.n)
    config = write_portal(root, posts)
    cache, fresh = root / "cache", root / "cache-cold"
    cold = build(config, cache)
    article = next((root / "docs/bai-viet").rglob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nMột câu mới.\n", encoding="utf-8")
    warm = build(config, cache)
    shutil.move(root / "site", root / "site-warm")
    shutil.rmtree(fresh, ignore_errors=True)
    cold_again = build(config, fresh)
    diff = differences(root / "site-warm", root / "site")
    print(
        f"| {args.n:,} articles | cold {cold:.1f} s | one article changed, warm {warm:.1f} s ({warm / cold:.0%} of cold) "
        f"| the same content cold {cold_again:.1f} s | files that differ warm/cold: {len(diff)} |"
    )
    for path in diff[:10]:
        print("  differs:", path)


if __name__ == "__main__":
    main()
