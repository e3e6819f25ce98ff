"""Photo budgets, measured by hand (they take minutes):

    npm ci && python bench/photos.py            # pages, transfer, Lighthouse, cold cost per photo
    python bench/photos.py --build 4000         # 4,000 articles with one photo each: cold, warm, none

1. Ten articles, each with six phone photos (4032×3024 JPEG, EXIF rotation 6, a GPS position):
   the featured photo, a captioned figure, one more photo and a gallery of three. Built cold
   (empty photo store): the cost per photo.
2. Served gzipped as GitHub Pages serves text; Chromium as a phone (390×844, device scale
   factor 3): the bytes of images transferred for one article scrolled to its end, and of
   everything on the home page's first load.
3. Lighthouse (mobile) on the same two pages.
4. --build N: N articles with one photo each (1280×960, to keep the bench's own generation
   time reasonable), cold and then warm (photo store kept), against the same site without photos.
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

from lighthouse import CHROMIUM, scores, serve_gzipped
from run import WORK, corpus, write_portal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from conftest import phone_photo  # noqa: E402 - the tests' phone photo, shared

ARTICLE = "bai-viet/2025/05/hoat-dong-co-anh-so-0/"


def photo_site(root: Path, articles: int = 10) -> Path:
    posts = corpus(articles)
    config = write_portal(root, posts)
    docs = root / "docs"
    shutil.rmtree(docs / "bai-viet")
    for n in range(articles):
        folder = docs / f"bai-viet/2025/anh-{n}"
        folder.mkdir(parents=True)
        for k in range(6):
            (folder / f"{k}.jpg").write_bytes(phone_photo(colour=(30 * k, 20 * n % 255, 160)))
        body = (
            f"{posts[n]['body'].split(chr(10) + chr(10))[0]}\n\n"
            f'![Toàn cảnh](anh-{n}/1.jpg "Toàn cảnh buổi sinh hoạt")\n\n'
            f"Đoạn văn giữa các ảnh.\n\n![Phát biểu](anh-{n}/2.jpg)\n\nĐoạn văn thứ ba.\n\n"
            f"![Thảo luận](anh-{n}/3.jpg)\n![Biểu quyết](anh-{n}/4.jpg)\n![Lưu niệm](anh-{n}/5.jpg)\n"
        )
        (docs / f"bai-viet/2025/anh-{n}.md").write_text(
            f"---\ntitle: Hoạt động có ảnh số {n}\ndate: 2025-05-{n + 1:02d}\ncategory: Tin hoạt động\n"
            f"image: anh-{n}/0.jpg\nimage_caption: Đồng chí Bí thư phát biểu\n---\n\n{body}",
            encoding="utf-8",
        )
    return config


def build(config: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
    )
    return time.perf_counter() - started


def transfer(url: str, scroll: bool) -> tuple[int, int]:
    """(image bytes, all bytes) transferred for `url` in Chromium as a phone, with an empty cache."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True)
        page = context.new_page()
        responses = []
        page.on("requestfinished", lambda request: responses.append(request))
        page.goto(url, wait_until="networkidle")
        if scroll:
            for _ in range(60):
                page.mouse.wheel(0, 600)
                page.wait_for_timeout(100)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(500)
        images = total = 0
        for request in responses:
            size = request.sizes()
            count = size["responseBodySize"] + size["responseHeadersSize"]
            total += count
            if request.resource_type == "image":
                images += count
        browser.close()
    return images, total


def pages_and_budgets() -> None:
    root = WORK / "photos"
    shutil.rmtree(root, ignore_errors=True)
    config = photo_site(root)
    seconds = build(config, {"CHIBO_CACHE_DIR": str(root / "cache")})
    print(f"cold build, 60 phone photos: {seconds:.1f} s in all; {seconds / 60 * 1000:.0f} ms a photo (2 workers)")
    with tempfile.TemporaryDirectory() as out:
        with serve_gzipped(root / "site") as base:
            article_images, article_all = transfer(base + ARTICLE, scroll=True)
            home_images, home_all = transfer(base, scroll=False)
            print(
                f"article with 6 photos, scrolled to the end: images {article_images / 1e6:.2f} MB, all {article_all / 1e6:.2f} MB"
            )
            print(
                f"home page with 10 such articles, first load: images {home_images / 1e6:.2f} MB, all {home_all / 1e6:.2f} MB"
            )
            print("| page | performance | accessibility | best practices | SEO |")
            print("| --- | ---: | ---: | ---: | ---: |")
            for name, path in (("home, 10 photo articles", ""), ("article, 6 photos", ARTICLE)):
                print(f"| {name} | " + " | ".join(map(str, scores(base + path, Path(out)))) + " |")


def build_budget(n: int) -> None:
    """Cold and warm builds of N articles with one photo each, against N without."""
    from PIL import Image

    root = WORK / f"photos-{n}"
    shutil.rmtree(root, ignore_errors=True)
    posts = corpus(n)
    plain = write_portal(root / "plain", posts)
    config = write_portal(root / "photos", posts)
    noise = Image.effect_noise((1280, 960), 40).convert("RGB")
    for i, path in enumerate(sorted((root / "photos/docs/bai-viet").rglob("*.md"))):
        image = Image.blend(noise, Image.new("RGB", noise.size, (i % 255, (7 * i) % 255, 120)), 0.5)
        image.save(path.with_suffix(".jpg"), "JPEG", quality=85)
        text = path.read_text(encoding="utf-8").replace("---\n", f"---\nimage: {path.stem}.jpg\n", 1)
        path.write_text(text, encoding="utf-8")
    # the site as a repository, as the publishing workflow checks it out
    for site in (root / "plain", root / "photos"):
        git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org", "-C", str(site)]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        subprocess.run([*git, "commit", "-qm", "bench"], check=True)
    cache = {"CHIBO_CACHE_DIR": str(root / "cache")}
    without = build(plain, {"CHIBO_CACHE_DIR": str(root / "cache-plain")})
    cold = build(config, cache)
    warm = build(config, cache)
    warm_plain = build(plain, {"CHIBO_CACHE_DIR": str(root / "cache-plain")})
    print(
        f"| {n:,} articles | without photos {without:.1f} s (warm {warm_plain:.1f} s) | one photo each: cold {cold:.1f} s, warm {warm:.1f} s | warm ÷ warm without photos {warm / warm_plain:.2f}× | cold cost {((cold - without) / n * 1000):.0f} ms a photo |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=int, default=0, help="also build N articles with one photo each")
    args = parser.parse_args()
    pages_and_budgets()
    if args.build:
        build_budget(args.build)


if __name__ == "__main__":
    main()
