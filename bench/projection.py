"""How long a site stays within GitHub Pages' limits (1 GB published, about 100 GB of transfer a
month), from a generated site with phone photos. Run by hand after `python bench/photos.py`
(it reuses that bench's site in bench/out/photos):

    python bench/projection.py

Per article with six phone photos: what it adds to the published site and to the repository
(originals as phones make them, and after `chibo shrink`), the years until the published site
reaches 1 GB at 300 such articles a year, and the monthly transfer at 5,300 page views a day
(the old site's "Hôm qua 5291") with the measured weight of an article view, photos on Pages
and on object storage.
"""

from __future__ import annotations

import sys
from pathlib import Path

from lighthouse import serve_gzipped
from photos import ARTICLE, WORK, transfer

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from chibo.images import shrink  # noqa: E402

GB = 1e9
ARTICLES_A_YEAR = 300
VIEWS_A_DAY = 5300


def main() -> None:
    root = WORK / "photos"
    site, docs = root / "site", root / "docs"
    if not site.is_dir():
        raise SystemExit("run python bench/photos.py first")
    articles = sorted(docs.glob("bai-viet/2025/anh-*.md"))
    photos = list(docs.rglob("*.jpg"))
    published = sum(p.stat().st_size for p in site.rglob("*") if p.is_file() and p.suffix in (".avif", ".webp", ".jpg"))
    pages = sum(p.stat().st_size for p in site.glob("bai-viet/2025/*/*/index.html"))
    per_article_site = (published + pages) / len(articles)
    per_photo_site = published / len(photos)
    shares = sum(p.stat().st_size for p in site.rglob("*-chia-se*.jpg"))
    per_photo_variants = (published - shares) / len(photos)
    originals = sum(p.stat().st_size for p in photos) / len(articles)
    shrunk = sum(len(shrink(p.read_bytes())) for p in photos[:12]) / 12 * len(photos) / len(articles)
    base = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) - published - pages
    years = (GB - base) / (ARTICLES_A_YEAR * per_article_site)
    with serve_gzipped(site) as url:
        images, everything = transfer(url + ARTICLE, scroll=True)
    month = VIEWS_A_DAY * 30
    print("| what | measured |")
    print("| --- | ---: |")
    print(f"| one photo's variants in the published site | {per_photo_variants / 1e3:.0f} kB |")
    print(
        f"| one photo in the published site, all its files (variants, share images) | {per_photo_site / 1e3:.0f} kB |"
    )
    print(f"| one article with 6 photos, in the published site | {per_article_site / 1e6:.2f} MB |")
    print(f"| the same in the repository, originals as phones make them | {originals / 1e6:.1f} MB |")
    print(f"| the same in the repository, after `chibo shrink` (or uploaded through /admin/) | {shrunk / 1e6:.1f} MB |")
    print(
        f"| years until the published site reaches 1 GB, {ARTICLES_A_YEAR} such articles a year, photos on Pages | {years:.1f} |"
    )
    print("| the same, photos on object storage | pages only: decades |")
    print(
        f"| repository growth a year, originals / shrunk | {ARTICLES_A_YEAR * originals / GB:.1f} GB / {ARTICLES_A_YEAR * shrunk / GB:.2f} GB |"
    )
    print(
        f"| one article view scrolled to the end, phone at 3×: all / images | {everything / 1e6:.2f} MB / {images / 1e6:.2f} MB |"
    )
    print(
        f"| Pages transfer a month at {VIEWS_A_DAY:,} views a day, photos on Pages | {month * everything / GB:.0f} GB |"
    )
    print(
        f"| the same, photos on object storage (Pages serves the rest) | {month * (everything - images) / GB:.0f} GB |"
    )


if __name__ == "__main__":
    main()
