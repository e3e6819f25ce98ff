"""The news engine on built sites of 0, 1, 11 and 25 articles: listings, pagination,
archive, tags, related news, sidebar, feeds, sitemap and link-preview metadata."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import feedparser
import pytest
from support import Site, article, make_site, png

CATEGORIES = ["Tin hoạt động", "Thông báo", "Xây dựng Đảng"]
SLUGS = {
    "Tin hoạt động": "tin-hoat-dong",
    "Thông báo": "thong-bao",
    "Xây dựng Đảng": "xay-dung-dang",
    "Văn bản": "van-ban/tin-bai",  # the menu's "Văn bản" is the document library; its articles are here
}


def corpus(n: int) -> dict[str, str]:
    """n articles, one every 9 days from 2023-01-05, categories in turn, tags on some."""
    files = {}
    for i in range(n):
        day = date(2023, 1, 5) + timedelta(days=9 * i)
        category = CATEGORIES[i % len(CATEGORIES)]
        fields = {"author": "Văn Châu" if i % 2 else "Lê Thị Đào"}
        if i % 4 == 0:
            fields["tags"] = ["Học tập", "Đảng phí"]
        files[f"bai-viet/{day.year}/bai-{i:02d}.md"] = article(
            f"Bài số {i:02d} về sinh hoạt chi bộ",
            day.isoformat(),
            category,
            body=f"Đoạn mở đầu của bài {i:02d}.\n\nĐoạn thứ hai.",
            **fields,
        )
    return files


def built(tmp_path_factory, n: int, **extra: str) -> Site:
    site = make_site(tmp_path_factory.mktemp(f"news{n}"), {**corpus(n), **extra}, model=False)
    site.build()
    return site


@pytest.fixture(scope="module")
def site25(tmp_path_factory) -> Site:
    extra = {
        "bai-viet/2099/tuong-lai.md": article(
            "Bài hẹn giờ năm 2099", "2099-01-01", "Thông báo", tags=["Học tập"], scheduled=True
        ),
        "bai-viet/2024/nhap.md": article(
            "Bài nháp chưa duyệt", "2024-01-01", "Thông báo", draft=True, author="Người Nháp"
        ),
        "bai-viet/2022/ghim.md": article(
            "Bài được ghim lên đầu",
            "2022-06-01",
            "Văn bản",
            pin=True,
            summary="Tóm tắt do biên tập viên viết.",
            image="/images/anh.png",
        ),
    }
    site = make_site(tmp_path_factory.mktemp("news25"), {**corpus(25), **extra}, model=False)
    site.write("images/anh.png", png(600, 400))  # the featured image
    site.build()
    return site


def listed_urls(site: Site, path: str) -> list[str]:
    return [a["href"] for a in site.html(path).select(".portal-cards .portal-card__title a")]


def category_pages(site: Site, slug: str) -> list[str]:
    pages = [f"{slug}/"]
    n = 2
    while (site.out / slug / "trang" / str(n) / "index.html").exists():
        pages.append(f"{slug}/trang/{n}/")
        n += 1
    return pages


def test_category_pagination_covers_every_article_once(site25: Site) -> None:
    # 25 articles over 3 categories in turn: 9, 8, 8 (+ nothing scheduled or drafted)
    expected = {"tin-hoat-dong": 9, "thong-bao": 8, "xay-dung-dang": 8, "van-ban/tin-bai": 1}
    for slug, count in expected.items():
        pages = category_pages(site25, slug)
        assert len(pages) == -(-count // 10)
        seen: list[str] = []
        for page in pages:
            seen += [href.rsplit("bai-viet/", 1)[1] for href in listed_urls(site25, page)]
        assert len(seen) == count and len(set(seen)) == count, slug
        dates = []
        for page in pages:
            dates += [t["datetime"] for t in site25.html(page).select(".portal-card__meta time")]
        assert dates == sorted(dates, reverse=True)


def test_pages_first_and_last_with_rel_links(tmp_path_factory) -> None:
    site = built(
        tmp_path_factory,
        25,
        **{
            f"bai-viet/x/tb-{i}.md": article(f"Thông báo số {i}", f"2024-02-{i + 1:02d}", "Thông báo")
            for i in range(15)
        },
    )
    pages = category_pages(site, "thong-bao")  # 8 + 15 = 23 -> 3 pages
    assert pages == ["thong-bao/", "thong-bao/trang/2/", "thong-bao/trang/3/"]
    first, last = site.html(pages[0]), site.html(pages[-1])
    assert len(first.select(".portal-cards > li")) == 10
    assert len(last.select(".portal-cards > li")) == 3
    assert first.select_one('.portal-pager a[rel="next"]')["href"].endswith("thong-bao/trang/2/")
    assert not first.select('.portal-pager a[rel="prev"]')
    assert last.select_one('.portal-pager a[rel="prev"]')["href"].endswith("thong-bao/trang/2/")
    assert not last.select('.portal-pager a[rel="next"]')
    assert last.select_one('.portal-pager [aria-current="page"]').get_text(strip=True) == "3"
    assert first.select_one('link[rel="next"]')["href"].endswith("thong-bao/trang/2/")
    assert first.title.get_text().startswith("Thông báo - ")
    assert last.title.get_text().startswith("Thông báo – trang 3")


def test_empty_site_still_has_pages(tmp_path_factory) -> None:
    site = built(tmp_path_factory, 0)
    for slug in SLUGS.values():
        assert "chưa có bài viết" in site.html(f"{slug}/").select_one(".portal-empty").get_text()
    assert "Chưa có bài viết" in site.html("").get_text()
    feed = feedparser.parse((site.out / "feed.xml").read_bytes())
    assert not feed.bozo and feed.entries == []


def test_one_article_site(tmp_path_factory) -> None:
    site = built(tmp_path_factory, 1)
    assert len(listed_urls(site, "tin-hoat-dong/")) == 1
    page = site.html("bai-viet/2023/01/bai-so-00-ve-sinh-hoat-chi-bo/")
    assert not page.select(".portal-related")
    assert not page.select(".portal-prevnext")


def test_eleven_articles_two_pages_in_one_category(tmp_path_factory) -> None:
    files = {f"bai-viet/{i}.md": article(f"Tin {i}", f"2024-03-{i + 1:02d}", "Xây dựng Đảng") for i in range(11)}
    site = make_site(tmp_path_factory.mktemp("eleven"), files, model=False)
    site.build()
    assert category_pages(site, "xay-dung-dang") == ["xay-dung-dang/", "xay-dung-dang/trang/2/"]
    assert listed_urls(site, "xay-dung-dang/trang/2/") == ["../../../bai-viet/2024/03/tin-0/"]


def test_home_page_blocks(site25: Site) -> None:
    home = site25.html("")
    # one h1, for screen readers: the banner shows the name, the page does not repeat it
    assert [h.get_text(strip=True) for h in home.select("h1")] == ["Chi bộ Trung tâm Công tác xã hội thành phố Đà Nẵng"]
    assert "portal-sr-only" in home.select_one("h1")["class"]
    # the lead story: the pinned one, with its photo large and eager, and its summary
    lead = home.select_one(".portal-lead.portal-home--pinned .portal-lead__story")
    assert lead.select_one(".portal-card__title").get_text(strip=True) == "Bài được ghim lên đầu"
    assert lead.select_one(".portal-card__summary").get_text(strip=True) == "Tóm tắt do biên tập viên viết."
    photo = lead.select_one(".portal-card__image img")
    assert re.fullmatch(r"\./images/anh-[0-9a-f]{10}-480\.webp", photo["src"])
    source = photo.parent.select_one("source[type='image/avif']")
    assert source["srcset"].endswith("-600.avif 600w") and photo["fetchpriority"] == "high"
    # the next four beside it, then the other latest stories, newest first, none twice
    beside = [t.get_text(strip=True) for t in home.select(".portal-cards--next .portal-card__title")]
    latest = [t.get_text(strip=True) for t in home.select(".portal-home--latest .portal-card__title")]
    assert beside[0] == "Bài số 24 về sinh hoạt chi bộ" and len(beside) == 4
    assert latest[0] == "Bài số 20 về sinh hoạt chi bộ" and "Bài được ghim lên đầu" not in beside + latest
    assert len(set(beside + latest)) == len(beside + latest) == 12
    # articles without a photo get a tidy text card, not a hole
    assert home.select(".portal-card--text") and not home.select(".portal-card--text .portal-card__image")
    blocks = [b.select_one("h2").get_text(strip=True) for b in home.select(".portal-home--category")]
    assert blocks == ["Tin hoạt động", "Thông báo", "Xây dựng Đảng", "Văn bản"]
    more = home.select(".portal-home--category .portal-more a")
    assert [a["href"] for a in more] == ["./tin-hoat-dong/", "./thong-bao/", "./xay-dung-dang/", "./van-ban/tin-bai/"]


def test_archive_tag_and_author_pages(site25: Site) -> None:
    years = [a.get_text(strip=True) for a in site25.html("luu-tru/").select(".portal-entries a")]
    assert years == ["Năm 2023", "Năm 2022"]
    months = site25.html("luu-tru/2023/").select(".portal-entries li")
    assert sum(int(li.select_one(".portal-entries__count").get_text().strip("() bài")) for li in months) == 25
    jan = listed_urls(site25, "luu-tru/2023/01/")
    assert len(jan) == 3  # 5, 14, 23 January
    tag = site25.html("the/dang-phi/")
    assert tag.select_one("h1").get_text(strip=True) == "Thẻ: Đảng phí"
    assert len(tag.select(".portal-cards > li")) == 7  # articles 0, 4, ..., 24
    assert "Bài hẹn giờ" not in site25.html("the/hoc-tap/").get_text()
    author = site25.html("tac-gia/le-thi-dao/")
    assert len(author.select(".portal-cards > li")) == 10
    assert (site25.out / "tac-gia/le-thi-dao/trang/2/index.html").exists()
    assert not (site25.out / "tac-gia/nguoi-nhap").exists()


def test_related_and_prev_next(site25: Site) -> None:
    # article 12 is in "Tin hoạt động" (12 % 3 == 0), between 9 and 15
    page = site25.html("bai-viet/2023/04/bai-so-12-ve-sinh-hoat-chi-bo/")
    related = [a.get_text(strip=True) for a in page.select(".portal-related .portal-card__title a")]
    assert related == [f"Bài số {i:02d} về sinh hoạt chi bộ" for i in (21, 18, 15, 9, 6)]
    assert "Bài số 12" not in " ".join(related)
    assert (
        page.select_one(".portal-prevnext__older").get_text(" ", strip=True).endswith("Bài số 09 về sinh hoạt chi bộ")
    )
    assert (
        page.select_one(".portal-prevnext__newer").get_text(" ", strip=True).endswith("Bài số 15 về sinh hoạt chi bộ")
    )


def test_sidebar_notices_and_links(tmp_path_factory) -> None:
    def links(config: dict) -> None:
        config["extra"]["portal"]["links"] = [
            {"title": "Báo Điện tử Đảng Cộng sản Việt Nam", "url": "https://dangcongsan.vn"}
        ]

    site = make_site(tmp_path_factory.mktemp("sidebar"), corpus(25), model=False, configure=links)
    site.build()
    for path in ("", "gioi-thieu/", "tin-hoat-dong/", "bai-viet/2023/01/bai-so-00-ve-sinh-hoat-chi-bo/"):
        page = site.html(path)
        notices = page.select(".portal-box--notices .portal-box__list a")
        assert [a.get_text(strip=True) for a in notices] == [
            f"Bài số {i:02d} về sinh hoạt chi bộ" for i in (22, 19, 16, 13, 10)
        ]
        link = page.select_one(".portal-box--links a")
        assert link["href"] == "https://dangcongsan.vn" and link["target"] == "_blank" and "noopener" in link["rel"]


def test_top_navigation_lists_categories(site25: Site) -> None:
    tabs = [a.get_text(strip=True) for a in site25.html("").select(".md-tabs__link")]
    assert tabs[:5] == ["Trang chủ", "Tin hoạt động", "Thông báo", "Xây dựng Đảng", "Văn bản"]
    nav_text = str(site25.html("gioi-thieu/").select_one(".md-nav--primary"))
    assert "Bài số" not in nav_text


def test_feeds(site25: Site) -> None:
    feed = feedparser.parse((site25.out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert len(feed.entries) == 26
    first = feed.entries[0]
    assert first.title == "Bài số 24 về sinh hoạt chi bộ"
    assert first.link == "https://ctxhdanang.vn/bai-viet/2023/08/bai-so-24-ve-sinh-hoat-chi-bo/"
    assert first.summary == "Đoạn mở đầu của bài 24."
    raw = (site25.out / "feed.xml").read_text(encoding="utf-8")
    assert "+0700</pubDate>" in raw
    assert "2099" not in raw and "Bài nháp" not in raw
    category = feedparser.parse((site25.out / "thong-bao/feed.xml").read_bytes())
    assert not category.bozo and len(category.entries) == 8
    assert {e.tags[0].term for e in category.entries} == {"Thông báo"}
    alternates = site25.html("").select('link[rel="alternate"][type="application/rss+xml"]')
    assert alternates and alternates[0]["href"].endswith("feed.xml")


def test_sitemap(site25: Site) -> None:
    tree = ET.parse(site25.out / "sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in tree.getroot()}
    base = "https://ctxhdanang.vn/"
    assert urls[base + "bai-viet/2023/08/bai-so-24-ve-sinh-hoat-chi-bo/"].startswith("2023-08-")
    assert base + "thong-bao/" in urls and base + "gioi-thieu/" in urls and base + "luu-tru/2023/01/" in urls
    articles = [u for u in urls if "/bai-viet/" in u]
    assert len(articles) == 26
    assert all(urls.values())
    assert not any("2099" in u or "nhap" in u for u in urls)


def test_link_preview_metadata(site25: Site) -> None:
    page = site25.html("bai-viet/2022/06/bai-duoc-ghim-len-dau/")
    meta = {m.get("property") or m.get("name"): m.get("content") for m in page.select("meta[content]")}
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "Bài được ghim lên đầu"
    assert meta["og:url"] == "https://ctxhdanang.vn/bai-viet/2022/06/bai-duoc-ghim-len-dau/"
    assert re.fullmatch(r"https://ctxhdanang\.vn/images/anh-[0-9a-f]{10}-chia-se\.jpg", meta["og:image"])
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1200", "630")
    assert meta["og:description"] == "Tóm tắt do biên tập viên viết."
    assert meta["article:published_time"] == "2022-06-01T00:00:00+07:00"
    assert meta["twitter:card"] == "summary_large_image"
    assert page.select_one('link[rel="canonical"]')["href"] == meta["og:url"]
    data = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Bài được ghim lên đầu"
    assert data["datePublished"] == "2022-06-01T00:00:00+07:00"
    assert data["image"] == [meta["og:image"]]
    assert data["publisher"]["logo"]["url"] == "https://ctxhdanang.vn/assets/portal/logo.png"


def test_generated_page_cannot_overwrite_an_editor_page(new_site) -> None:
    site = new_site({"thong-bao.md": "# Trang trùng tên\n"})
    result = site.build(check=False)
    assert result.returncode != 0
    assert "docs/thong-bao.md" in result.stderr and "/thong-bao/" in result.stderr
