"""Photos at build time: variants, rotation, no metadata, figures, galleries, share images,
the cache, and bad photos named in Vietnamese."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from chibo.cards import ShareCards
from chibo.images import ImageProblem, process
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont
from support import REPO, Site, article, build_env, make_site, phone_photo, png, served

SDTT = REPO / "node_modules/.bin/sdtt"

BODY = """Sáng nay, Chi bộ tổ chức sinh hoạt chuyên đề.

![Toàn cảnh hội nghị](anh/1.jpg "Toàn cảnh hội nghị")

Các đảng viên phát biểu ý kiến.

![Đồng chí Bí thư phát biểu](anh/2.jpg)
![Biểu quyết thông qua nghị quyết](anh/3.jpg "Biểu quyết")

![Chụp ảnh lưu niệm](anh/4.jpg)

Xem [ảnh gốc](anh/goc.jpg).
"""
URL = "bai-viet/2024/05/sinh-hoat-chuyen-de-co-anh/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    files = {
        "bai-viet/2024/anh.md": article(
            "Sinh hoạt chuyên đề có ảnh",
            "2024-05-10",
            "Tin hoạt động",
            body=BODY,
            image="anh/dai-dien.jpg",
            image_caption="Đồng chí Bí thư chủ trì",
            author="Văn Châu",
        ),
        **{f"bai-viet/2024/anh/{n}.jpg": phone_photo(1600, 1200, colour=(40 * n, 90, 160)) for n in (1, 2, 3, 4)},
        "bai-viet/2024/anh/dai-dien.jpg": phone_photo(2400, 1800),
        "bai-viet/2024/anh/goc.jpg": phone_photo(800, 600),
        "bai-viet/2024/anh/khong-dung.jpg": phone_photo(800, 600),  # shown nowhere
    }
    built = make_site(tmp_path_factory.mktemp("photos"), files)
    built.build()
    return built


def test_every_photo_is_a_set_of_variants_with_dimensions(site: Site) -> None:
    page = site.html(URL)
    images = page.select(".portal-article img")
    assert len(images) == 5
    for img in images:
        # AVIF where the browser shows it; the img itself is the WebP for browsers that do not
        source = img.parent.select_one("source")
        assert img.parent.name == "picture" and source["type"] == "image/avif" and source["sizes"]
        assert img["width"] and img["height"] and img["decoding"] == "async" and "srcset" not in img.attrs
        for candidate in source["srcset"].split(", "):
            path, width = candidate.split(" ")
            with Image.open((site.out / URL / path).resolve()) as file:
                assert file.format == "AVIF" and file.width == int(width.rstrip("w"))
        with Image.open((site.out / URL / img["src"]).resolve()) as fallback:
            assert fallback.format == "WEBP" and fallback.size == (int(img["width"]), int(img["height"]))
    featured, *body = images
    # the featured image is fetched first; the others wait until they come near the screen
    assert featured["fetchpriority"] == "high" and "loading" not in featured.attrs
    assert all(img["loading"] == "lazy" for img in body)
    # rotated as the phone was held: stored 2400×1800 with EXIF rotation 6, shown upright
    assert (int(featured["width"]), int(featured["height"])) == (480, 640)


def test_no_metadata_and_no_original_reaches_the_site(site: Site) -> None:
    outputs = [p for p in site.out.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".webp", ".png", ".avif")]
    assert outputs
    for file in outputs:
        with Image.open(file) as image:
            assert not image.getexif(), file  # no GPS, no camera, no rotation left to apply
            assert "exif" not in image.info and "xmp" not in image.info
    names = {p.name for p in outputs}
    assert "dai-dien.jpg" not in names and "1.jpg" not in names and "khong-dung.jpg" not in names
    # an original the article links to on purpose is published at full size, upright, without its metadata
    with Image.open(site.out / "bai-viet/2024/anh/goc.jpg") as original:
        assert original.format == "JPEG" and original.size == (600, 800)


def test_captions_and_galleries(site: Site) -> None:
    body = site.html(URL).select_one(".portal-article__body")
    figure = body.select_one("figure.portal-figure")
    assert figure.select_one("figcaption").get_text() == "Toàn cảnh hội nghị"
    assert "title" not in figure.select_one("img").attrs
    gallery = body.select_one(".portal-gallery")
    links = gallery.select("a[data-pswp-width]")
    assert len(links) == 3  # two photos in one paragraph and the one after them
    assert [f.get_text() for f in gallery.select("figcaption")] == ["Biểu quyết"]
    for link in links:
        full = (site.out / URL / link["href"]).resolve()
        assert Image.open(full).size == (int(link["data-pswp-width"]), int(link["data-pswp-height"]))
        assert link["aria-label"].startswith("Xem ảnh lớn: ")
    page = site.html(URL)
    assert page.select_one('script[type=module][src$="assets/portal/gallery.js"]')
    assert page.select_one('link[href$="photoswipe/photoswipe.css"]')
    # pages without a gallery load nothing of the viewer
    other = site.html("bai-viet/2023/11/mot-so-giai-phap-tiep-tuc-nang-cao-chat-luong-sinh-hoat-chi-bo/")
    assert "photoswipe" not in str(other) and "gallery.js" not in str(other)


def test_share_images(site: Site) -> None:
    for url, expected in (
        (URL, "Đồng chí Bí thư chủ trì"),
        ("bai-viet/2023/11/mot-so-giai-phap-tiep-tuc-nang-cao-chat-luong-sinh-hoat-chi-bo/", None),
    ):
        page = site.html(url)
        meta = {m.get("property") or m.get("name"): m["content"] for m in page.select("meta[content]")}
        assert meta["og:image"].startswith("https://ctxhdanang.vn/") and meta["og:image"] == meta["twitter:image"]
        file = site.out / meta["og:image"].removeprefix("https://ctxhdanang.vn/")
        with Image.open(file) as image:
            assert image.format == "JPEG" and image.size == (1200, 630)
        assert meta["og:image:alt"] == (expected or page.select_one("h1").get_text())
        data = json.loads(page.select_one('script[type="application/ld+json"]').string)
        assert data["image"] == [meta["og:image"]] and data["publisher"]["logo"]["url"].endswith("logo.png")
    home = site.html("")
    assert home.select_one('meta[property="og:image"]')["content"].endswith(".jpg")


def test_share_card_draws_the_headline_as_the_font_does(tmp_path: Path) -> None:
    """The card composes words drawn once each; the result must be the headline as Pillow
    draws it whole, diacritics included (the stacked marks of ổ, ự, ẫ)."""
    from chibo.cards import FONT

    title = "Đảng bộ tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2025"
    cards = ShareCards("Chi bộ Trung tâm", tmp_path)
    card = Image.open(io.BytesIO(cards.jpeg(title))).convert("L")
    reference = Image.new("L", (1200, 630))
    font = ImageFont.truetype(str(FONT), 58)
    draw = ImageDraw.Draw(reference)
    lines, line = [], ""
    for word in title.split():
        if line and draw.textlength(f"{line} {word}", font=font) > 1080:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    top = max(40, (520 - 76 * len(lines)) // 2) + 58
    for number, text in enumerate(lines):
        draw.text((60, top + 76 * number), text, font=font, fill=255, anchor="ls")
    headline = card.crop((0, 0, 1200, 520)).point(lambda v: 255 if v > 200 else 0)
    expected = reference.crop((0, 0, 1200, 520)).point(lambda v: 255 if v > 127 else 0)

    def outside(ink: Image.Image, area: Image.Image) -> float:
        """The share of `ink`'s pixels that fall outside `area` grown by two pixels."""
        grown = area.filter(ImageFilter.MaxFilter(5))
        stray = ImageChops.subtract(ink, grown)
        return stray.histogram()[255] / max(1, ink.histogram()[255])

    # every mark of the headline where the font puts it, within a pixel or two of word spacing
    assert expected.histogram()[255] > 20000
    assert outside(headline, expected) < 0.02 and outside(expected, headline) < 0.02


@pytest.mark.parametrize(
    "title",
    [
        "Đảng bộ tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2025",
        "Ngắn",
        "",
        "ẫ " * 300,  # more than five lines: cut
        "Một-từ-rất-dài-không-có-chỗ-ngắt-dòng-nào-vượt-quá-bề-ngang-của-thẻ-chia-sẻ-cả-trăm-điểm-ảnh",
    ],
)
def test_a_share_card_spliced_from_rows_is_the_jpeg_of_the_whole_card(tmp_path: Path, title: str) -> None:
    """Only the headline's rows are encoded, the rest comes from the frame's JPEG: the file must
    be byte for byte Pillow's JPEG of the whole card, and decode to that card."""
    from chibo.cards import encode, split_rows

    cards = ShareCards("Chi bộ Trung tâm", tmp_path)
    spliced = cards.jpeg(title)
    assert spliced == encode(cards.whole(title))
    head, rows = split_rows(spliced)
    assert len(rows) == -(-630 // 16) and head.startswith(b"\xff\xd8")
    decoded = Image.open(io.BytesIO(spliced))
    assert decoded.size == (1200, 630) and decoded.format == "JPEG"
    decoded.load()


def test_a_warm_build_encodes_nothing_again(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "p",
        {
            "bai-viet/2024/a.md": article("Bài có ảnh", "2024-05-01", "Thông báo", image="a.jpg"),
            "bai-viet/2024/a.jpg": phone_photo(1200, 900),
        },
    )
    site.build()
    store = site.root / ".cache/chibo/images"
    before = {p.name: p.stat().st_mtime_ns for p in store.iterdir()}
    # AVIF at 360, 480 and 900 (upright, it is 900 wide), the WebP at 480, the share image
    assert sorted(n.rsplit("-", 1)[-1] for n in before if n.startswith("bai-viet__2024__a-")) == [
        "360.avif",
        "480.avif",
        "480.webp",
        "900.avif",
        "se.jpg",
    ]
    site.build()
    assert {p.name: p.stat().st_mtime_ns for p in store.iterdir()} == before
    # a new photo adds its own files and leaves the others alone
    site.write("bai-viet/2024/b.md", article("Bài thứ hai", "2024-05-02", "Thông báo", image="b.jpg"))
    site.write("bai-viet/2024/b.jpg", phone_photo(1200, 900, colour=(200, 30, 30)))
    site.build()
    after = {p.name: p.stat().st_mtime_ns for p in store.iterdir()}
    assert {n: after[n] for n in before} == before and len(after) > len(before)


@pytest.mark.parametrize("kind", ["truncated", "not-an-image"])
def test_a_bad_photo_is_named_in_vietnamese(new_site, kind: str) -> None:
    data = phone_photo(800, 600)[:5000] if kind == "truncated" else b"<html>not a photo</html>"
    site = new_site(
        {
            "bai-viet/2024/a.md": article("Bài có ảnh hỏng", "2024-05-01", "Thông báo", image="hong.jpg"),
            "bai-viet/2024/hong.jpg": data,
        }
    )
    result = site.build(check=False)
    assert result.returncode != 0
    assert 'docs/bai-viet/2024/a.md:5: ảnh "bai-viet/2024/hong.jpg": không đọc được ảnh' in result.stderr
    assert "Traceback" not in result.stderr


def test_iphone_heic_photos_are_read(tmp_path: Path) -> None:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (1000, 750), (30, 120, 60)).save(out, "HEIF")
    picture = process("bai-viet/a/anh.heic", out.getvalue(), tmp_path)
    assert [v.width for v in picture.variants] == [360, 480, 960] and picture.fallback.width == 480
    with pytest.raises(ImageProblem):
        process("bai-viet/a/hong.heic", out.getvalue()[:300], tmp_path)


def test_check_warns_about_photos_without_alternative_text(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "p",
        {
            "bai-viet/2024/a.md": article(
                "Bài", "2024-05-01", "Thông báo", body="Đoạn.\n\n![](anh.png)\n\n![Có mô tả](anh.png)"
            ),
            "bai-viet/2024/anh.png": png(),
        },
    )
    result = subprocess.run(
        [sys.executable, "-m", "chibo.cli", "check"], cwd=site.root, capture_output=True, text=True, env=build_env()
    )
    assert result.returncode == 0  # a warning, not an error: publishing does not wait for it
    assert 'docs/bai-viet/2024/a.md:9: cảnh báo: ảnh "anh.png" chưa có mô tả' in result.stdout
    assert result.stdout.count("cảnh báo") == 1


def test_gallery_opens_and_closes_with_the_keyboard(browser, site: Site) -> None:
    with served(site.out) as base:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        page = context.new_page()
        errors, requests = [], []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(base + URL)
        first = page.locator(".portal-gallery a").first
        first.focus()
        page.keyboard.press("Enter")
        page.wait_for_selector(".pswp--open")
        page.wait_for_timeout(600)  # the opening fade; keys are taken after it
        assert page.locator(".pswp__counter").inner_text().replace(" ", "") == "1/3"
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.querySelector('.pswp__counter').textContent.replace(/ /g, '') === '2/3'")
        assert page.locator(".pswp__portal-caption").inner_text() == "Biểu quyết"
        page.keyboard.press("Escape")
        page.wait_for_selector(".pswp", state="detached")
        # the close button, found by its Vietnamese name
        first.click()
        page.wait_for_selector(".pswp--open")
        page.wait_for_timeout(600)
        page.get_by_role("button", name="Đóng (Esc)").click()
        page.wait_for_selector(".pswp", state="detached")
        assert errors == [] and all(r.startswith(base) for r in requests)
        context.close()


_SHOWN = """async () => {
  const images = [...document.querySelectorAll('.portal-article img')];
  for (const img of images) { img.scrollIntoView(); await img.decode(); }
  return images.map((img) => img.naturalWidth > 0 ? img.currentSrc.split('.').pop() : 'missing');
}"""


def test_photos_show_as_avif_and_as_webp_where_avif_is_unknown(browser, site: Site) -> None:
    with served(site.out) as base:
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
        page = context.new_page()
        page.goto(base + URL)
        assert page.evaluate(_SHOWN) == ["avif"] * 5
        # a browser without AVIF skips the AVIF <source>: the same page without them
        page.route(
            base + URL,
            lambda route: route.fulfill(
                response=(response := route.fetch()),
                body=re.sub(r'<source [^>]*type="image/avif"[^>]*>', "", response.text()),
            ),
        )
        page.goto(base + URL)
        assert page.evaluate(_SHOWN) == ["webp"] * 5
        # and the viewer shows that browser the WebP it already has, not an AVIF it cannot read
        page.locator(".portal-gallery a").first.click()
        shown = page.locator(".pswp__item[aria-hidden=false] .pswp__img:not(.pswp__img--placeholder)")
        shown.wait_for(state="attached")
        assert shown.get_attribute("src").endswith(".webp")
        context.close()


@pytest.mark.parametrize(
    "url", [URL, "bai-viet/2023/11/mot-so-giai-phap-tiep-tuc-nang-cao-chat-luong-sinh-hoat-chi-bo/"]
)
def test_structured_data_checker_finds_no_failure(site: Site, url: str) -> None:
    assert SDTT.exists(), "structured-data-testing-tool comes with `npm ci` (see .ci/run)"
    result = subprocess.run(
        [str(SDTT), "--file", str(site.out / url / "index.html"), "--presets", "Google,Twitter,Facebook"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert result.returncode == 0 and re.search(r"Failed: 0\b", output), output[-3000:]
    assert "NewsArticle" in output and "Facebook - 100%" in output


def test_large_originals_are_reported_and_shrunk_in_place(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "p",
        {
            "bai-viet/2024/a.md": article("Bài", "2024-05-01", "Thông báo", image="anh.jpg"),
            "bai-viet/2024/anh.jpg": phone_photo(),  # 4032×3024, 2.4 MB, GPS
            "bai-viet/2024/nho.png": png(),
        },
    )

    def chibo(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "chibo.cli", *args], cwd=site.root, capture_output=True, text=True, env=build_env()
        )

    check = chibo("check")
    assert check.returncode == 0  # a warning: publishing does not wait for it
    assert "docs/bai-viet/2024/anh.jpg:1: cảnh báo: ảnh gốc cạnh dài 4032 điểm ảnh, còn vị trí GPS" in check.stdout
    assert "chibo shrink" in check.stdout and "nho.png" not in check.stdout
    shrunk = chibo("shrink")
    assert shrunk.returncode == 0 and "docs/bai-viet/2024/anh.jpg: 2.4 MB → 0." in shrunk.stdout
    with Image.open(site.docs / "bai-viet/2024/anh.jpg") as image:
        assert image.format == "JPEG" and image.size == (1500, 2000)  # upright, 2,000 px at most
        assert not image.getexif()
    assert (site.docs / "bai-viet/2024/anh.jpg").stat().st_size < 600_000  # a noisy worst case: 0.56 MB
    assert "cảnh báo" not in chibo("check").stdout
    assert "Không có ảnh nào cần thu nhỏ" in chibo("shrink").stderr
    site.build()  # the shrunk photo is still a photo the build reads


def test_photos_are_keyed_by_their_git_id(tmp_path: Path) -> None:
    """Committed photos are found in the store by the id Git already has for them; the same
    photo outside Git gets the same key, so a checkout and a copy share the store."""
    from chibo.images import content_id
    from chibo.photos import git_content_ids

    data = phone_photo(800, 600)
    folder = tmp_path / "docs/bai-viet"
    folder.mkdir(parents=True)
    (folder / "a.jpg").write_bytes(data)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "ảnh"], check=True)
    blob = subprocess.run([*git, "hash-object", "docs/bai-viet/a.jpg"], capture_output=True, text=True).stdout.strip()
    assert content_id(data) == blob
    assert git_content_ids(str(tmp_path / "docs"), {"bai-viet/a.jpg"}) == {"bai-viet/a.jpg": blob}
    (folder / "a.jpg").write_bytes(phone_photo(800, 600, colour=(1, 2, 3)))  # changed, not committed
    assert git_content_ids(str(tmp_path / "docs"), {"bai-viet/a.jpg"}) == {}
    # with the id known, a photo already in the store is not read at all
    store = tmp_path / "store"
    first = process("bai-viet/a.jpg", data, store)
    again = process("bai-viet/a.jpg", lambda: pytest.fail("read again"), store, known=content_id(data))
    assert again == first


def test_articles_sharing_a_featured_photo_both_share_its_crop(tmp_path: Path) -> None:
    site = make_site(
        tmp_path / "p",
        {
            "bai-viet/2024/a.md": article("Bài thứ nhất", "2024-05-01", "Thông báo", image="chung.jpg"),
            "bai-viet/2024/b.md": article("Bài thứ hai", "2024-05-02", "Thông báo", image="chung.jpg"),
            "bai-viet/2024/chung.jpg": phone_photo(1200, 900),
        },
    )
    site.build()
    for url in ("bai-viet/2024/05/bai-thu-nhat/", "bai-viet/2024/05/bai-thu-hai/"):
        image = site.html(url).select_one('meta[property="og:image"]')["content"]
        assert re.fullmatch(r"https://ctxhdanang\.vn/bai-viet/2024/chung-[0-9a-f]{10}-chia-se\.jpg", image), url
