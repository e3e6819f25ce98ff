"""The publishing job's own steps, timed on this machine: from a content push to a site
ready to deploy. A fresh virtual environment installs the locked packages without pip's
cache (as on a new runner), then `chibo check` and `mkdocs build --strict` run on the
template with N generated articles.

    python bench/publish_time.py 0 1000 4000

Run by hand; GitHub's runner adds its own start-up (about 10–20 s) and the upload and
deployment of the artifact.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import REPO, WORK, corpus, write_portal


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env={**os.environ, **(env or {})})
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="+", type=int)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(venv / "bin/python"), "-m", "pip", "install", "-q", "--no-cache-dir"]
        subprocess.run([*pip, "--require-hashes", "-r", str(REPO / "requirements/publish.txt")], check=True)
        subprocess.run([*pip, "--no-deps", "-e", str(REPO)], check=True, capture_output=True)
        install = time.perf_counter() - started
        print(f"install (fresh venv, no pip cache): {install:.1f} s", flush=True)
        print("\n| articles | install | chibo check | mkdocs build --strict | total |")
        print("| ---: | ---: | ---: | ---: | ---: |")
        for n in args.sizes:
            root = WORK / f"publish-{n}"
            shutil.rmtree(root, ignore_errors=True)
            write_portal(root, corpus(n))
            check = timed([str(venv / "bin/chibo"), "check"], root)
            build = timed([str(venv / "bin/mkdocs"), "build", "--strict"], root, {"NO_MKDOCS_2_WARNING": "1"})
            total = install + check + build
            print(f"| {n:,} | {install:.1f} s | {check:.1f} s | {build:.1f} s | {total:.1f} s |", flush=True)
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
