"""Photo budgets, measured by hand (they take minutes):

    npm ci && python bench/photos.py            # pages, transfer, Lighthouse, cold cost per photo
    python bench/photos.py --build 4000         # 4,000 articles with one photo each: cold, warm, none

1. Ten articles, each with six phone photos (4032×3024 JPEG, EXIF rotation 6, a GPS position;
   `event_photo`: a meeting hall as a phone shoots it, about 4 MB like a phone's own file):
   the featured photo, a captioned figure, one more photo and a gallery of three. Built cold
   (empty photo store): the cost per photo. `--noisy` uses the tests' photo instead, whose
   heavy mid-frequency noise is a worst case for every encoder.
2. Served gzipped as GitHub Pages serves text; Chromium as a phone (390×844, device scale
   factor 3): the bytes of images transferred for one article scrolled to its end, and of
   everything on the home page's first load.
3. Lighthouse (mobile) on the same two pages.
4. --build N: N articles with one photo each (1280×960, to keep the bench's own generation
   time reasonable), cold and then warm (photo store kept), against the same site without photos.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lighthouse import CHROMIUM, scores, serve_gzipped
from run import WORK, corpus, write_portal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support import phone_photo  # noqa: E402 - the tests' phone photo, shared

ARTICLE = "bai-viet/2025/05/hoat-dong-co-anh-so-0/"
FONT = Path(__file__).resolve().parent.parent / "hooks/chibo/fonts/BeVietnamPro-Bold.ttf"


def event_photo(seed: int = 0, colour: tuple[int, int, int] = (40, 90, 160)) -> bytes:
    """A meeting as a phone photographs it: a lit wall, a red banner with lettering, rows of
    people, the lens' softness, some fine texture and the sensor's grain; stored landscape with
    EXIF rotation 6 and a GPS position. About 4 MB at JPEG quality 90, as a phone's 12 MP file."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

    rng = random.Random(seed)
    w, h = 4032, 3024
    image = Image.blend(
        Image.linear_gradient("L").resize((w, h)).convert("RGB"), Image.new("RGB", (w, h), (225, 215, 190)), 0.8
    )
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, int(h * 0.62), w, h], fill=(120, 85, 60))
    draw.rectangle([int(w * 0.08), int(h * 0.08), int(w * 0.92), int(h * 0.30)], fill=(180, 25, 30))
    font = ImageFont.truetype(str(FONT), int(h * 0.05))
    for line, text in enumerate(("HỘI NGHỊ SINH HOẠT CHUYÊN ĐỀ", f"CHI BỘ CƠ QUAN NĂM {2020 + seed % 6}")):
        draw.text((int(w * 0.08) + 60, int(h * 0.08) + 40 + line * int(h * 0.07)), text, font=font, fill=(250, 220, 90))
    for row in range(4):
        y, size = int(h * (0.45 + 0.13 * row)), int(h * (0.05 + 0.015 * row))
        for k in range(9 + row):
            x = int(w * (k + rng.random() * 0.4) / (9 + row))
            shirt = rng.choice([(240, 240, 235), (30, 40, 70), (200, 200, 210), (90, 110, 60), colour])
            draw.rounded_rectangle([x - size, y, x + size, y + int(size * 2.6)], radius=size // 2, fill=shirt)
            skin = (rng.randint(170, 215), rng.randint(125, 165), rng.randint(95, 130))
            draw.ellipse([x - size // 2, y - int(size * 1.1), x + size // 2, y + int(size * 0.1)], fill=skin)
            draw.ellipse([x - size // 2, y - int(size * 1.15), x + size // 2, y - int(size * 0.55)], fill=(25, 20, 20))
    image = image.filter(ImageFilter.GaussianBlur(2))
    texture = Image.effect_noise((w // 8, h // 8), 10).resize((w, h), Image.Resampling.BICUBIC).convert("RGB")
    image = ImageChops.add(image, texture, 1.0, -128)
    image = ImageChops.add(image, Image.effect_noise((w, h), 7).convert("RGB"), 1.0, -128)
    image = image.transpose(Image.Transpose.ROTATE_90)  # stored as the sensor saw it; EXIF 6 turns it back
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (16.0, 3.0, 36.0), 3: "E", 4: (108.0, 13.0, 12.0)}  # GPSInfo
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return out.getvalue()


def photo_site(root: Path, articles: int = 10, noisy: bool = False) -> Path:
    posts = corpus(articles)
    config = write_portal(root, posts)
    docs = root / "docs"
    shutil.rmtree(docs / "bai-viet")
    for n in range(articles):
        folder = docs / f"bai-viet/2025/anh-{n}"
        folder.mkdir(parents=True)
        for k in range(6):
            colour = (30 * k, 20 * n % 255, 160)
            (folder / f"{k}.jpg").write_bytes(phone_photo(colour=colour) if noisy else event_photo(6 * n + k, colour))
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


def pages_and_budgets(noisy: bool = False) -> None:
    root = WORK / "photos"
    shutil.rmtree(root, ignore_errors=True)
    config = photo_site(root, noisy=noisy)
    seconds = build(config, {"CHIBO_CACHE_DIR": str(root / "cache")})
    print(f"cold build, 60 phone photos: {seconds:.1f} s in all; {seconds / 60 * 1000:.0f} ms a photo (2 workers)")
    with tempfile.TemporaryDirectory() as out, serve_gzipped(root / "site") as base:
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
    parser.add_argument("--noisy", action="store_true", help="the tests' noisy photos: a worst case")
    args = parser.parse_args()
    pages_and_budgets(args.noisy)
    if args.build:
        build_budget(args.build)


if __name__ == "__main__":
    main()
