"""Search: what the Pagefind index is given, and running Pagefind over the built site.

Pagefind (>= 1.5) matches without diacritics by removing combining marks, but đ/Đ has
no decomposition, so "dang" would not find "Đảng". Each article therefore carries, in a
hidden element, its words that contain đ with đ written as d ("Dảng"): Pagefind folds
the remaining marks itself, and typed diacritics still match the real text first.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time

_D_WORD = re.compile(r"\w*[đĐ]\w*")
_TAG = re.compile(r"<[^>]+>")
BUNDLE_DIR = "pagefind"


def d_words(*texts: str) -> str:
    """The distinct words containing đ/Đ, with đ→d, in first-seen order."""
    seen: dict[str, None] = {}
    for text in texts:
        for word in _D_WORD.findall(_TAG.sub(" ", text)):
            seen.setdefault(word.replace("đ", "d").replace("Đ", "D"), None)
    return " ".join(seen)


def run_pagefind(site_dir: str, timeout: float = 600) -> tuple[bool, str, float]:
    """Index the built site into `site_dir/pagefind/`; (ok, output, seconds)."""
    started = time.perf_counter()
    command = [sys.executable, "-m", "pagefind", "--site", site_dir, "--output-subdir", BUNDLE_DIR, "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc), time.perf_counter() - started
    output = (result.stdout + result.stderr).strip()
    return result.returncode == 0, output, time.perf_counter() - started
