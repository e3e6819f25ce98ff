"""Warm publishing builds: what the workflow's cache (`.cache/chibo/`) saves after a small change.

    python bench/warm.py            # 10,000 articles
    python bench/warm.py 4000

As the publishing workflow runs: a fresh checkout (no site/), the cache restored. Three builds
of N generated articles, each into a new site folder: cold (empty cache), then one article's
body changed and built warm (the first build's cache), then the same content cold again; prints
the times and whether the warm and the second cold output are byte-identical.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
from pathlib import Path

from run import WORK, corpus, timed, write_portal


def build(config: Path, cache: Path, site: Path) -> float:
    """One build into `site`, a new folder: see `run.fresh` for why nothing is deleted before."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CHIBO_CACHE_DIR": str(cache)}
    return timed(cmd, config.parent, env)[0]


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
    earlier = root.with_name(f"{root.name}.earlier") if root.exists() else None
    if earlier is not None:  # deleted when this run ends, not before its builds
        shutil.rmtree(earlier, ignore_errors=True)
        root.rename(earlier)
    posts = corpus(args.n)
    config = write_portal(root, posts)
    cold = build(config, root / "cache", root / "site-cold")
    article = next((root / "docs/bai-viet").rglob("*.md"))
    article.write_text(article.read_text(encoding="utf-8") + "\nMột câu mới.\n", encoding="utf-8")
    warm = build(config, root / "cache", root / "site-warm")
    cold_again = build(config, root / "cache-cold", root / "site")
    diff = differences(root / "site-warm", root / "site")
    print(
        f"| {args.n:,} articles | cold {cold:.1f} s | one article changed, warm {warm:.1f} s ({warm / cold:.0%} of cold) "
        f"| the same content cold {cold_again:.1f} s | files that differ warm/cold: {len(diff)} |"
    )
    for path in diff[:10]:
        print("  differs:", path)
    if earlier is not None:
        shutil.rmtree(earlier, ignore_errors=True)


if __name__ == "__main__":
    main()
