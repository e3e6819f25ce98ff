"""The foundation: a real site built from real Markdown, read with a real HTML parser."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import pytest
from support import MODEL_URL, Site, article, build_env, make_site, png

NFD_TITLE = unicodedata.normalize("NFD", "Hội nghị học tập Nghị quyết")
XSS_TITLE = "Tin <script>alert('x')</script> & <b>đậm</b>"


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Site:
    site = make_site(
        tmp_path_factory.mktemp("sample"),
        {
            "bai-viet/2024/dang-bo.md": article(
                "Đảng bộ Trung tâm tổ chức Hội nghị",
                "2024-01-15 08:30",
                "Xây dựng Đảng",
                body="## Kết quả nổi bật\n\nĐảng bộ đã hoàn thành nhiệm vụ.",
            ),
            "bai-viet/2024/nfd.md": article(
                NFD_TITLE,
                "15/02/2024",
                unicodedata.normalize("NFD", "Thông báo"),
                body=unicodedata.normalize("NFD", "Nội dung gõ bằng bàn phím tổ hợp."),
            ),
            "bai-viet/2024/xss.md": article(
                XSS_TITLE, "2024-03-01", "Thông báo", summary="<img src=x onerror=alert(1)>"
            ),
            "bai-viet/2024/ban-nhap.md": article(
                "Bản nháp bí mật", "2024-03-02", "Thông báo", draft=True, body="Nội dung nháp chưa được phép đăng."
            ),
            "bai-viet/2099/hen-gio.md": article(
                "Bài hẹn giờ tương lai",
                "2099-01-01",
                "Thông báo",
                body="Nội dung hẹn giờ chưa tới lúc đăng.",
                scheduled=True,
            ),
            "bai-viet/2024/h1.md": "---\ndate: 2024-04-01\ncategory: Văn bản\n---\n\n# Tiêu đề từ dòng đầu\n\nThân bài.\n",
        },
    )
    site.build()
    return site


def test_model_article_page(sample: Site) -> None:
    page = sample.html(MODEL_URL)
    title = page.select_one("h1.portal-article__title").get_text(strip=True)
    assert title == "Một số giải pháp tiếp tục nâng cao chất lượng sinh hoạt chi bộ"
    assert len(page.select("h1")) == 1
    date = page.select_one("time.portal-article__date")
    assert date.get_text(strip=True) == "Thứ Năm, 30/11/2023"
    assert date["datetime"].startswith("2023-11-30T00:00:00+07:00")
    assert page.select_one(".portal-byline").get_text(" ", strip=True) == "Bài viết: Văn Châu"
    crumbs = [a.get_text(strip=True) for a in page.select(".portal-breadcrumb a")]
    assert crumbs == ["Trang chủ", "Tin hoạt động"]
    assert page.select(".portal-breadcrumb a")[1]["href"].endswith("tin-hoat-dong/")
    body = page.select_one(".portal-article__body")
    # the two shortcomings as a list, the three solutions as headings
    assert len(body.select("ul > li")) == 2
    headings = [h.get_text(strip=True) for h in body.select("h2")]
    assert [h.split(",")[0] for h in headings] == ["Trước hết", "Hai là", "Ba là"]
    assert (
        body.select_one("h2")["id"]
        == "truoc-het-tiep-tuc-duy-tri-sinh-hoat-chi-bo-deu-dan-va-chuan-bi-chu-dao-noi-dung-sinh-hoat"
    )
    text = body.get_text(" ")
    for kept in (
        "Chi bộ là tế bào của Đảng",
        "Sinh thời, Chủ tịch Hồ Chí Minh",
        "vừa tròn một năm",
        "chưa thực hiện tốt./.",
    ):
        assert kept in text
    html = sample.out.joinpath(MODEL_URL, "index.html").read_text(encoding="utf-8")
    for dropped in ("tram22kjnfnafk", "Ngôi sao không hiệu lực", "Forecast Today"):
        assert dropped not in html
    assert page.find("html")["lang"] == "vi"


def test_article_has_print_and_share_links(sample: Site) -> None:
    page = sample.html(MODEL_URL)
    assert page.select_one("button[data-portal-print]").get_text(strip=True) == "In bài viết"
    facebook = page.select_one("a.portal-share--facebook")["href"]
    zalo = page.select_one("a.portal-share--zalo")["href"]
    assert facebook.startswith("https://www.facebook.com/sharer/sharer.php?u=https")
    assert zalo.startswith("https://sp.zalo.me/share?url=https")
    assert "mot-so-giai-phap-tiep-tuc" in facebook and "mot-so-giai-phap-tiep-tuc" in zalo
    assert page.select_one("a[data-portal-copy]")["href"] == f"https://ctxhdanang.vn/{MODEL_URL}"
    # plain links only: no third-party script or SDK on the page
    for script in page.select("script[src]"):
        assert not script["src"].startswith(("http:", "https:", "//"))


def test_identity_block_on_every_page(sample: Site) -> None:
    for path in ("", "gioi-thieu/", MODEL_URL, "thong-bao/"):
        footer = sample.html(path).select_one("address.portal-identity")
        text = footer.get_text(" ", strip=True)
        assert "Trung tâm Công tác xã hội thành phố Đà Nẵng" in text
        assert "64 Đống Đa - Quận Hải Châu, Thành phố Đà Nẵng" in text
        assert "Chịu trách nhiệm nội dung: Nguyễn Văn Châu" in text
        assert "159/GP-STTTT ngày 28/3/2016" in text
        assert footer.select_one('a[href^="tel:"]')["href"] == "tel:02362214668"
        assert footer.select_one('a[href^="mailto:"]')["href"].startswith("mailto:")


def test_slugs_fold_d_and_diacritics(sample: Site) -> None:
    page = sample.html("bai-viet/2024/01/dang-bo-trung-tam-to-chuc-hoi-nghi/")
    assert page.select_one("h1").get_text(strip=True) == "Đảng bộ Trung tâm tổ chức Hội nghị"
    assert page.select_one(".portal-article__body h2")["id"] == "ket-qua-noi-bat"
    assert page.select_one("time.portal-article__date").get_text(strip=True) == "Thứ Hai, 15/01/2024 08:30"


def test_decomposed_input_renders_composed(sample: Site) -> None:
    page = sample.html("bai-viet/2024/02/hoi-nghi-hoc-tap-nghi-quyet/")
    title = page.select_one("h1").get_text(strip=True)
    assert title == "Hội nghị học tập Nghị quyết"
    assert unicodedata.is_normalized("NFC", title)
    body = page.select_one(".portal-article__body").get_text(strip=True)
    assert body == "Nội dung gõ bằng bàn phím tổ hợp."
    # the decomposed category matched the configured one
    assert page.select_one(".portal-article__category").get_text(strip=True) == "Thông báo"


def test_title_from_first_heading(sample: Site) -> None:
    page = sample.html("bai-viet/2024/04/tieu-de-tu-dong-dau/")
    assert [h.get_text(strip=True) for h in page.select("h1")] == ["Tiêu đề từ dòng đầu"]


def test_html_in_title_and_summary_is_text(sample: Site) -> None:
    url = "bai-viet/2024/03/tin-script-alert-x-script-b-dam-b/"
    page = sample.html(url)
    assert page.select_one("h1").get_text() == XSS_TITLE
    raw = sample.out.joinpath(url, "index.html").read_text(encoding="utf-8")
    assert "<script>alert(" not in raw
    assert "<img src=x" not in raw
    assert "<b>đậm</b>" not in raw
    assert page.title.get_text().startswith(XSS_TITLE)
    home = sample.out.joinpath("index.html").read_text(encoding="utf-8")
    assert "<script>alert(" not in home


def test_drafts_and_scheduled_appear_nowhere(sample: Site) -> None:
    everything = sample.text_of_all_outputs()
    for hidden in (
        "Bản nháp bí mật",
        "ban-nhap-bi-mat",
        "Nội dung nháp",
        "Bài hẹn giờ",
        "bai-hen-gio",
        "Nội dung hẹn giờ",
    ):
        assert hidden not in everything, hidden
    assert not list(sample.out.rglob("*ban-nhap*"))
    assert not list(sample.out.rglob("*hen-gio*"))


def test_url_does_not_depend_on_category(new_site) -> None:
    text = article("Hội nghị chi bộ tháng 5", "2024-05-10", "Tin hoạt động")
    site = new_site({"bai-viet/a.md": text})
    site.build()
    assert (site.out / "bai-viet/2024/05/hoi-nghi-chi-bo-thang-5/index.html").exists()
    assert (
        site.html("bai-viet/2024/05/hoi-nghi-chi-bo-thang-5/")
        .select_one(".portal-article__category")
        .get_text(strip=True)
        == "Tin hoạt động"
    )
    site.write("bai-viet/a.md", text.replace("Tin hoạt động", "Thông báo"))
    site.build()
    page = site.html("bai-viet/2024/05/hoi-nghi-chi-bo-thang-5/")
    assert page.select_one(".portal-article__category").get_text(strip=True) == "Thông báo"
    assert page.select_one(".portal-article__category")["href"].endswith("thong-bao/")

    def listed(url: str) -> list[str]:
        return [a.get_text(strip=True) for a in site.html(url).select(".portal-card__title a")]

    assert "Hội nghị chi bộ tháng 5" in listed("thong-bao/")
    assert "Hội nghị chi bộ tháng 5" not in listed("tin-hoat-dong/")


def test_default_content_builds_strict_with_mkdocs_and_properdocs(tmp_path) -> None:
    for tool in ("mkdocs", "properdocs"):
        site = make_site(tmp_path / tool)
        result = site.build(tool=tool)
        assert result.returncode == 0
        page = site.html(MODEL_URL)
        assert page.select_one("time.portal-article__date").get_text(strip=True) == "Thứ Năm, 30/11/2023"
        assert site.html("").select_one("address.portal-identity")
        assert (site.out / "feed.xml").exists()


def test_no_third_party_fonts_or_scripts(sample: Site) -> None:
    for path in ("", MODEL_URL, "thong-bao/"):
        page = sample.html(path)
        for tag in page.select("link[href], script[src], img[src]"):
            url = tag.get("href") or tag.get("src")
            if tag.name == "link" and tag.get("rel") in (["canonical"], ["alternate"]):
                continue
            assert not url.startswith(("http:", "https:", "//")), url
        assert "fonts.googleapis" not in str(page)


def test_ordinary_page_can_link_to_an_article_file(new_site) -> None:
    site = new_site({"lien-ket.md": "# Liên kết\n\nXem [bài mẫu](bai-viet/2023/mot-so-giai-phap.md#hai-la).\n"})
    site.build()  # --strict: the link resolves
    href = site.html("lien-ket/").select_one(".md-content a[href*='mot-so-giai-phap']")["href"]
    assert href == "../bai-viet/2023/11/mot-so-giai-phap-tiep-tuc-nang-cao-chat-luong-sinh-hoat-chi-bo/#hai-la"


def test_article_links_and_images_are_rewritten_to_their_pages(new_site) -> None:
    body = (
        "Ảnh: ![toàn cảnh](anh.png). Xem [giới thiệu](../../gioi-thieu.md), [bài khác](khac.md), "
        "[liên hệ](../../lien-he/) (kiểu thư mục, như `chibo check` chấp nhận) và [trang chủ](/)."
    )
    site = new_site(
        {
            "bai-viet/2024/co-anh.md": article("Bài có ảnh", "2024-05-02", "Thông báo", body=body),
            "bai-viet/2024/khac.md": article("Bài khác", "2024-05-01", "Thông báo"),
            "bai-viet/2024/anh.png": png(),
        }
    )
    site.build()
    page = site.html("bai-viet/2024/05/bai-co-anh/")
    body_html = page.select_one(".portal-article__body")
    # the photo is published as the build's variant, not as the uploaded original
    img = body_html.select_one("img")
    assert img["src"].startswith("../../anh-") and img["src"].endswith("-40.webp")
    assert img.parent.name == "picture" and img.parent.select_one("source")["srcset"].endswith("-40.avif 40w")
    assert (img["width"], img["height"]) == ("40", "30")
    hrefs = [a["href"] for a in body_html.select("a")]
    assert hrefs == ["../../../../gioi-thieu/", "../bai-khac/", "../../../../lien-he/", "/"]
    assert not (site.out / "bai-viet/2024/anh.png").exists()
    assert (page_dir := site.out / "bai-viet/2024/05/bai-co-anh") and (page_dir / img["src"]).resolve().is_file()
    # `chibo check` judges the same links by the same rule: nothing to report
    check = subprocess.run(
        [sys.executable, "-m", "chibo.cli", "check"], cwd=site.root, capture_output=True, text=True, env=build_env()
    )
    assert check.returncode == 0, check.stdout + check.stderr


def test_broken_link_in_an_article_fails_a_strict_build(new_site) -> None:
    site = new_site({"bai-viet/x.md": article("Bài lỗi", "2024-05-02", "Thông báo", body="Xem [mất](khong-co.md).")})
    result = site.build(check=False)
    assert result.returncode != 0
    assert "docs/bai-viet/x.md" in result.stderr and "khong-co.md" in result.stderr
