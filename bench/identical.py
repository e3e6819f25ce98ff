"""Does a change leave the site as readers get it untouched? Builds the same content with the
code of a Git revision and with the working tree, and compares the two sites file by file.

    python bench/identical.py                 # HEAD against the working tree, 1,000 articles
    python bench/identical.py --base v1 --articles 200

The content is the tests' fixture site plus N generated articles (bench/run.py's corpus), built
cold with a fixed clock (CHIBO_NOW) and its own cache folder for each side. Prints the files
that differ and exits 1 when any does. Run by hand, for refactorings that must change nothing.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from run import REPO, corpus, write_portal

NOW = "2026-12-01 08:00"


def build(code: Path, content: Path, out: Path, cache: Path) -> None:
    config = yaml.safe_load((content / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(code / "hooks/portal.py")]
    config["theme"]["custom_dir"] = str(code / "overrides")
    config["site_dir"] = str(out)
    config["docs_dir"] = str(content / "docs")
    config_file = content / f"mkdocs-{out.name}.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    env = {**os.environ, "CHIBO_NOW": NOW, "CHIBO_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    env.pop("GOATCOUNTER_TOKEN", None)
    # the code's own chibo package first (the hook file's folder), as a fresh checkout would have it
    env["PYTHONPATH"] = str(code / "hooks")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config_file)], check=True, env=env)


def differing(a: Path, b: Path) -> list[str]:
    names_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    names_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    out = sorted(names_a ^ names_b)
    out += sorted(n for n in names_a & names_b if not filecmp.cmp(a / n, b / n, shallow=False))
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="HEAD", help="the revision to compare the working tree with")
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        work = Path(temporary)
        base = work / "base"
        subprocess.run(["git", "-C", str(REPO), "worktree", "add", "-q", "--detach", str(base), args.base], check=True)
        try:
            content = work / "content"
            write_portal(content, corpus(args.articles))
            build(base, content, work / "site-base", work / "cache-base")
            build(REPO, content, work / "site-new", work / "cache-new")
            changed = differing(work / "site-base", work / "site-new")
        finally:
            subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(base)], check=False)
    total = f"{args.articles} articles plus the fixture's pages, {args.base} against the working tree"
    if changed:
        print(f"{len(changed)} files differ ({total}):")
        print("\n".join(f"  {name}" for name in changed[:50]))
        return 1
    print(f"identical ({total})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
