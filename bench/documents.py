"""Benchmark of the document library: what D documents with one ~300 kB PDF each add to a cold
build of N articles, what a warm build costs (no PDF parsed), how many bytes the registry's first
load sends gzipped, and how long a filter keystroke takes in Chromium with 4x CPU throttling.

    python bench/documents.py --articles 4000 --documents 2000 --runs 3

Builds with and without the documents alternate `--runs` times; the medians are printed.

Run by hand (minutes), not in the tests. Needs fpdf2 and Playwright with Debian's chromium.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lighthouse import serve_gzipped  # noqa: E402
from run import REPO, WORK, corpus, paragraphs, write_portal  # noqa: E402

TYPES = ["Nghị quyết", "Chỉ thị", "Kết luận", "Hướng dẫn", "Quyết định", "Kế hoạch", "Thông báo", "Báo cáo"]
ISSUERS = ["Ban Chấp hành Trung ương", "Ban Bí thư", "Ban Tổ chức Trung ương", "Thành ủy Đà Nẵng", "Chi bộ"]
CHROMIUM = os.environ.get("CHIBO_CHROMIUM", "/usr/bin/chromium")


def pdf_bytes(seed: int, target: int = 300_000) -> bytes:  # within a fifth of `target`
    """A PDF of about `target` bytes: Vietnamese text pages, then an image as scanned pages carry."""
    from fpdf import FPDF
    from PIL import Image

    rng = random.Random(seed)
    pdf = FPDF()
    pdf.add_font("BV", "", str(REPO / "hooks/chibo/fonts/BeVietnamPro-Bold.ttf"))
    pdf.set_font("BV", size=11)
    paras = paragraphs()
    for _ in range(3):
        pdf.add_page()
        pdf.multi_cell(0, 6, "\n".join(rng.sample(paras, 4)))
    # a scanned page's photo: random grain of about the bytes still missing
    side = int(((target - 15_000) / 0.45) ** 0.5)
    noise = Image.frombytes("L", (side, side), rng.randbytes(side * side)).convert("RGB")
    path = WORK / f"noise-{seed}.jpg"
    noise.save(path, quality=60)
    pdf.add_page()
    pdf.image(str(path), w=150)
    return bytes(pdf.output())


def write_documents(root: Path, count: int) -> None:
    rng = random.Random(2018)
    pdfs = [pdf_bytes(i) for i in range(10)]  # ten distinct files, reused: content is cached by hash
    for i in range(count):
        year = 2010 + i % 16
        folder = root / "docs/van-ban" / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        type_name = TYPES[i % len(TYPES)]
        meta = {
            "number": f"{i + 1}-{type_name[:2].upper()}/CB",
            "type": type_name,
            "issuer": rng.choice(ISSUERS),
            "issued": f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "summary": f"Về công tác {rng.choice(['sinh hoạt chi bộ', 'kiểm tra', 'tổ chức', 'tuyên giáo'])} số {i}",
            "signer": rng.choice(["Nguyễn Văn A, Bí thư", "Trần Thị B, Phó Bí thư"]),
            "fields": [rng.choice(["Công tác tổ chức", "Tuyên giáo", "Kiểm tra"])],
            "file": f"vb-{i}.pdf",
        }
        # a unique tail keeps each PDF's content (and hash) its own, as real documents are
        (folder / f"vb-{i}.pdf").write_bytes(pdfs[i % 10] + f"\n% {i}\n".encode())
        (folder / f"vb-{i}.md").write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n", encoding="utf-8")


def build(config: Path, cold: bool) -> float:
    if cold:
        shutil.rmtree(config.parent / ".cache", ignore_errors=True)
    shutil.rmtree(config.parent / "site", ignore_errors=True)
    os.sync()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], env=env, check=True)
    return time.perf_counter() - t0


def first_load_and_keystroke(site: Path) -> tuple[int, float]:
    """Bytes the registry's first load transfers (gzipped, as Pages sends them) and the median
    time from a keystroke to the updated table, with 4x CPU throttling."""
    from playwright.sync_api import sync_playwright

    with serve_gzipped(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        finished: list = []
        page.on("requestfinished", lambda request: finished.append(request))
        page.goto(base + "van-ban/", wait_until="networkidle")
        first = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in finished)
        page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": 4})
        box = page.locator("#portal-registry-q")
        box.focus()
        box.fill("a")
        page.wait_for_function("document.querySelector('.portal-registry__count').dataset.shown === 'a'")
        times = []
        for word in ["ki", "kie", "kiem", "to", "to c", "tuyen", "sinh", "so 1", "so 12", "12-"]:
            # from the keystroke's input event to the end of the frame that paints the new table
            times.append(
                page.evaluate(
                    """w => new Promise(done => {
                        const box = document.querySelector('#portal-registry-q');
                        const status = document.querySelector('.portal-registry__count');
                        const seen = new MutationObserver(() => {
                            if (status.dataset.shown !== w) return;
                            seen.disconnect();
                            // then the frame that shows it: style, layout and paint included
                            requestAnimationFrame(() => setTimeout(() => done(performance.now() - start)));
                        });
                        seen.observe(status, {attributes: true, childList: true, subtree: true});
                        box.value = w;
                        const start = performance.now();
                        box.dispatchEvent(new Event('input', {bubbles: true}));
                    })""",
                    word,
                )
            )
        browser.close()
        times.sort()
        return first, times[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=4000)
    parser.add_argument("--documents", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3, help="alternating pairs of cold builds (medians)")
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    posts = corpus(args.articles)
    bare = write_portal(WORK / "library-without", posts)
    with_docs = write_portal(WORK / "library-with", posts)
    write_documents(with_docs.parent, args.documents)
    pairs = [(build(bare, cold=True), build(with_docs, cold=True)) for _ in range(args.runs)]
    without = statistics.median(p[0] for p in pairs)
    cold = statistics.median(p[1] for p in pairs)
    warm = build(with_docs, cold=False)
    print("pairs (without, with):", ", ".join(f"{a:.1f}/{b:.1f}" for a, b in pairs))
    data = (with_docs.parent / "site/van-ban/danh-sach.json").read_bytes()
    first, keystroke = first_load_and_keystroke(with_docs.parent / "site")
    print(
        f"{args.articles} articles: cold {without:.1f} s; with {args.documents} documents: cold {cold:.1f} s "
        f"(+{(cold - without) / args.documents * 1000:.2f} s per thousand), warm {warm:.1f} s"
    )
    print(
        f"registry first load {first / 1000:.0f} kB; its data (fetched on the first filter) "
        f"{len(gzip.compress(data)) / 1000:.0f} kB gzipped; keystroke median {keystroke:.0f} ms at 4x throttling"
    )


if __name__ == "__main__":
    main()
