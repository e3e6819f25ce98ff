"""Moving a whole Joomla 3 site (`chibo import --joomla`, `--dsn`): the old site's database on
a real MariaDB server (Debian's, started here), exported as sites export it, imported into a
new project that then builds with `--strict`."""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path
from typing import Any

import frontmatter
import pytest
from bs4 import BeautifulSoup
from chibo.joomla.database import read_database
from chibo.joomla.dump import read_dump
from chibo.joomla.schema import make_site as joomla_site
from chibo.joomla.schema import wanted
from PIL import Image
from support import Site, chibo, make_site, need
from support.joomla import MariaDB, mariadb_missing, mariadb_server
from support.joomla_site import CATEGORY_MAP, HOI_NGHI, old_site, write_mirror

A101 = "bai-viet/2023/chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023.md"
URL101 = "bai-viet/2023/12/chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023/"


@pytest.fixture(scope="module")
def joomla(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The old site's database on a running server, and its two exports."""
    need("MariaDB", not mariadb_missing(), mariadb_missing())
    folder = tmp_path_factory.mktemp("joomla")
    with mariadb_server(folder / "server") as server:
        server.load("joomla", old_site())
        dump = server.mariadb_dump("joomla", folder / "joomla.sql")
        pma = server.phpmyadmin_dump("joomla", folder / "joomla-phpmyadmin.sql")
        yield {"server": server, "dump": dump, "pma": pma, "mirror": write_mirror(folder / "mirror")}


def _import(site: Site, joomla: dict[str, Any], *extra: str, source: str = "dump") -> Any:
    where = ["--dsn", joomla["server"].dsn("joomla")] if source == "dsn" else ["--joomla", str(joomla[source])]
    maps = [arg for item in CATEGORY_MAP for arg in ("--category-map", item)]
    result = chibo(site, "import", *where, "--site-root", str(joomla["mirror"]), *maps, *extra)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result


@pytest.fixture
def project(tmp_path: Path) -> Site:
    return make_site(tmp_path / "project", model=False)


def test_both_exports_and_the_live_database_read_alike(joomla: dict[str, Any], tmp_path: Path) -> None:
    dump = joomla["dump"].read_text(encoding="utf-8")
    pma = joomla["pma"].read_text(encoding="utf-8")
    # the two styles really differ: no column lists and multi-row INSERTs, against phpMyAdmin's
    assert re.search(r"INSERT INTO `k3x9q_content` VALUES\s*\(101,", dump)
    assert "INSERT INTO `k3x9q_content` (`id`, `asset_id`, `title`" in pma
    assert 'alert(\\"x\\")' in dump and 'alert("x")' in pma  # backslash escapes against phpMyAdmin's
    gz = tmp_path / "joomla.sql.gz"
    gz.write_bytes(gzip.compress(joomla["dump"].read_bytes()))
    sites = [
        joomla_site(read_dump(joomla["dump"], wanted)),
        joomla_site(read_dump(joomla["pma"], wanted)),
        joomla_site(read_dump(gz, wanted)),
        joomla_site(read_database(joomla["server"].dsn("joomla"), wanted)),
    ]
    first = sites[0]
    assert first.prefix == "k3x9q_" and len(first.articles) == 14
    for other in sites[1:]:
        assert other.articles == first.articles
        assert other.categories == first.categories and other.menu == first.menu
        assert (other.visits, other.redirects) == (first.visits, first.redirects)
    article = first.articles[101]
    assert article.fulltext.startswith("\r\n<p>{loadposition") and "&amp;view=article" in article.fulltext
    assert article.images["image_fulltext"] == "images/2023/hoi-nghi.jpg"  # JSON's "\/" read back


def test_every_field_of_an_article_comes_over(joomla: dict[str, Any], project: Site) -> None:
    result = _import(project, joomla)
    post = frontmatter.load(project.docs / A101)
    assert post["title"] == "Chi bộ tổ chức hội nghị tổng kết năm 2023"
    assert str(post["date"]) == "2023-12-28 08:30"  # publish_up 01:30 UTC, in Vietnam time
    assert post["category"] == "Tin hoạt động"  # through --category-map "Tin tức/Hoạt động=…"
    assert post["slug"] == "chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023"
    assert post["author"] == "Nguyễn Văn An"
    assert post["tags"] == ["Chi bộ", "Hội nghị"]
    assert post["hits"] == 1234 and post["rating"] == {"sum": 43, "count": 10}
    assert post["summary"] == "Chi bộ đã tổ chức hội nghị tổng kết công tác năm 2023."  # the intro, before read-more
    assert post["image"] == "chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023/hoi-nghi.jpg"  # image_fulltext
    assert (post["image_alt"], post["image_caption"]) == ("Đảng viên dự hội nghị", "Hội nghị tổng kết")
    assert "pin" not in post.metadata
    body = post.content
    assert body.startswith("Chi bộ đã tổ chức **hội nghị tổng kết** công tác năm 2023.")  # intro, then full text
    assert "{load" not in body
    assert "loadposition quang-cao" in result.stdout and "bài 101" in result.stdout
    # links to other articles of the old site, non-SEF and SEF, lead to the new files
    assert "[lịch sinh hoạt](../2024/lich-sinh-hoat.md)" in body
    assert "[lễ trao huy hiệu](trao-huy-hieu.md)" in body
    assert "bản nháp" in body and "104-ban-nhap" not in body  # an article left behind: the words stay
    assert "104-ban-nhap" in result.stdout
    # photos and files from the mirror, unchanged, the same photo once
    folder = project.docs / "bai-viet/2023/chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023"
    assert sorted(p.name for p in folder.iterdir()) == ["hoi-nghi.jpg", "ke-hoach.pdf"]
    assert (folder / "hoi-nghi.jpg").read_bytes() == HOI_NGHI
    assert "![Toàn cảnh hội nghị](chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023/hoi-nghi.jpg)" in body
    assert "[kế hoạch](chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023/ke-hoach.pdf)" in body
    assert f"docs/{A101}: images/khong-co.jpg" in result.stdout
    assert f"docs/{A101}: images/gia-mao.jpg" in result.stdout  # an HTML page named .jpg is no photo
    assert "<!-- ảnh thiếu: khong-co.jpg -->" in body


def test_authors_dates_slugs_and_summaries_of_the_other_articles(joomla: dict[str, Any], project: Site) -> None:
    assert "Đã xoá vị trí GPS khỏi 1 ảnh" in _import(project, joomla, "--pin-featured").stdout
    assert frontmatter.load(project.docs / A101)["pin"] is True
    notice = frontmatter.load(project.docs / "bai-viet/2024/lich-sinh-hoat.md")
    assert notice["author"] == "Văn phòng Đảng ủy"  # created_by_alias first
    assert str(notice["date"]) == "2024-01-02 09:00"  # no publish_up: created
    assert notice["summary"] == "Lịch sinh hoạt định kỳ của chi bộ."  # no read-more: metadesc
    assert notice["category"] == "Thông báo"  # same name as a category of mkdocs.yml
    assert "rating" not in notice.metadata  # 3 stars from 10 votes cannot be: left out, and said
    orphan = frontmatter.load(project.docs / "bai-viet/2023/trao-huy-hieu.md")
    assert "author" not in orphan.metadata and orphan.content  # its author was deleted; the article stays
    assert (orphan["image"], orphan["image_alt"]) == ("trao-huy-hieu/trao-the.jpg", "Trao huy hiệu")  # image_intro
    with Image.open(project.docs / "bai-viet/2023/trao-huy-hieu/trao-the.jpg") as photo:
        assert not photo.getexif().get_ifd(0x8825) and photo.size == (64, 48)  # the GPS position stayed behind
    kept_alias = frontmatter.load(project.docs / "bai-viet/2023/hi-ngh-chi-b-m-rng.md")
    assert kept_alias["slug"] == "hi-ngh-chi-b-m-rng"  # Joomla's alias, not made again from the title
    twin = frontmatter.load(project.docs / "bai-viet/2023/chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023-110.md")
    assert twin["slug"] == "chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023-110"  # same alias, same month
    archived = frontmatter.load(project.docs / "bai-viet/2019/ket-qua-dai-hoi.md")
    assert archived["title"] == "Kết quả đại hội nhiệm kỳ trước"


def test_what_stays_behind_is_reported_with_ids_and_titles(joomla: dict[str, Any], project: Site) -> None:
    out = _import(project, joomla, "--skip-archived").stdout
    for aid, title in ((104, "Bản nháp"), (105, "Bài đã xoá"), (107, "Tài liệu nội bộ"), (106, "Kết quả đại hội"),
                       (112, "Tin chuyên mục ẩn"), (113, "Tin mục nội bộ"), (108, "Giới thiệu chi bộ")):  # fmt: skip
        assert f"{aid}: {title}" in out, out
    assert "chưa đăng (unpublished)" in out and "trong thùng rác (trashed)" in out
    assert "lưu trữ (archived)" in out and not (project.docs / "bai-viet/2019/ket-qua-dai-hoi.md").exists()
    # the unmapped category: the lines to add to mkdocs.yml, and the option
    assert '"Giới thiệu" (1 bài)' in out and "- name: Giới thiệu" in out and "slug: gioi-thieu" in out
    assert '--category-map "Giới thiệu=' in out
    assert 'bài 102 "Lịch sinh hoạt chi bộ tháng 1"' in out and "bỏ số đánh giá" in out
    assert "offset: 6835657" in out and "offset_date: 2025-12-01" in out  # SUM(visits) + initialvalue
    written = sorted(p.relative_to(project.docs).as_posix() for p in project.docs.rglob("*.md"))
    assert len([p for p in written if p.startswith("bai-viet/")]) == 7


def test_a_second_run_keeps_edits_adds_new_articles_and_says_so(
    joomla: dict[str, Any], project: Site, tmp_path: Path
) -> None:
    _import(project, joomla)
    edited = project.docs / A101
    edited.write_text(edited.read_text(encoding="utf-8").replace("hội nghị tổng kết", "HỘI NGHỊ"), encoding="utf-8")
    (project.docs / "bai-viet/2023/trao-huy-hieu.md").unlink()  # the editors removed it on purpose
    data = old_site()
    data.article(114, "Tin mới sau lần chuyển đầu", "tin-moi", 9, "2024-02-02 02:00:00", "<p>Tin mới.</p>")
    server: MariaDB = joomla["server"]
    server.load("joomla2", data)
    again = _import(project, {**joomla, "dump": server.mariadb_dump("joomla2", tmp_path / "again.sql")}).stdout
    assert "HỘI NGHỊ" in edited.read_text(encoding="utf-8")
    assert not (project.docs / "bai-viet/2023/trao-huy-hieu.md").exists()
    assert "103: Lễ trao huy hiệu 30 năm tuổi Đảng" in again and "bị xoá trên trang mới" in again
    assert (project.docs / "bai-viet/2024/tin-moi.md").exists()
    assert "Đã ghi 1 bài mới" in again and "Giữ nguyên" in again and f"docs/{A101}" in again
    addresses = json.loads((project.docs / "dia-chi-cu.json").read_text(encoding="utf-8"))
    assert "114" in addresses["articles"] and "103" not in addresses["articles"]


def test_the_live_database_gives_the_same_files(joomla: dict[str, Any], tmp_path: Path) -> None:
    from_dump = make_site(tmp_path / "a", model=False)
    from_server = make_site(tmp_path / "b", model=False)
    _import(from_dump, joomla)
    _import(from_server, joomla, source="dsn")

    def tree(site: Site) -> dict[str, bytes]:
        return {p.relative_to(site.docs).as_posix(): p.read_bytes() for p in site.docs.rglob("*") if p.is_file()}

    assert tree(from_dump) == tree(from_server)


def test_bad_input_gets_a_clear_error(joomla: dict[str, Any], project: Site, tmp_path: Path) -> None:
    cut = tmp_path / "cut.sql"
    text = joomla["dump"].read_text(encoding="utf-8")
    cut.write_text(text[: text.index("INSERT INTO `k3x9q_content`") + 400], encoding="utf-8")
    result = chibo(project, "import", "--joomla", str(cut))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"Lỗi: {cut}: dòng " in result.stderr and "bị cắt hoặc hỏng" in result.stderr
    other = tmp_path / "other.sql"
    other.write_text("CREATE TABLE `wp_posts` (\n  `ID` int\n);\nINSERT INTO `wp_posts` VALUES (1);\n")
    result = chibo(project, "import", "--joomla", str(other))
    assert result.returncode == 1 and "không thấy bảng bài viết của Joomla" in result.stderr
    result = chibo(project, "import", "--joomla", str(joomla["dump"]), "--category-map", "Tin tức")
    assert result.returncode == 2 and '"Chuyên mục cũ=Chuyên mục mới"' in result.stderr
    result = chibo(project, "import", "--dsn", "mysql://root@localhost/khong-co?unix_socket=/nonexistent.sock")
    assert result.returncode == 1 and "không kết nối được cơ sở dữ liệu" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(project.docs.glob("bai-viet/**/*.md"))  # nothing half-written


def _built(project: Site, joomla: dict[str, Any]) -> Site:
    _import(project, joomla)
    result = project.build()
    assert "WARNING" not in result.stderr, result.stderr
    return project


def _refresh_target(page: BeautifulSoup) -> str:
    return str(page.select_one('meta[http-equiv="refresh"]')["content"]).split("url=", 1)[1]


def test_every_old_address_form_has_a_page_that_sends_the_reader_on(joomla: dict[str, Any], project: Site) -> None:
    site = _built(project, joomla)
    addresses = json.loads((site.docs / "dia-chi-cu.json").read_text(encoding="utf-8"))
    routes = addresses["articles"]["101"]["routes"]
    assert "tin-tuc/9-hoat-dong/101-chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023" in routes  # legacy, menu
    assert "tin-tuc/hoat-dong/chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023" in routes  # modern, no ids
    assert not [r for r in routes if r.startswith("component/")]  # a menu item led to it: Joomla used that one
    lonely = addresses["articles"]["115"]["routes"]  # no menu item leads to its category
    assert "component/content/article/13-xay-dung-dang/115-hoc-tap-nghi-quyet" in lonely
    assert "13-xay-dung-dang/115-hoc-tap-nghi-quyet" in lonely and "xay-dung-dang/hoc-tap-nghi-quyet" in lonely
    assert "thong-bao-chung/lich" in addresses["articles"]["102"]["routes"]  # the article's own menu item
    for route in routes:
        for path in (
            f"{route}/index.html",
            f"index.php/{route}/index.html",
            f"{route}.html",
            f"index.php/{route}.html",
        ):
            page = BeautifulSoup((site.out / path).read_text(encoding="utf-8"), "html.parser")
            depth = path.count("/")
            assert _refresh_target(page) == "../" * depth + URL101, path
            assert page.select_one('link[rel="canonical"]')["href"] == f"https://ctxhdanang.vn/{URL101}"
            assert page.select_one("a")["href"] == "../" * depth + URL101
            assert page.select_one("script")["src"] == "../" * depth + "assets/portal/dia-chi-cu.js"
    stub = site.html("dia-chi-cu/101/")  # what "?option=com_content&view=article&id=101" reaches
    assert _refresh_target(stub) == "../../" + URL101
    redirect = site.html("tin-cu-da-doi-ten/")  # #__redirect_links
    assert _refresh_target(redirect) == "../" + URL101
    category = site.html("tin-tuc/hoat-dong/")
    assert _refresh_target(category) == "../../tin-hoat-dong/"
    # where the new site has its own page, the page stays the site's
    assert site.html("thong-bao/").select_one(".portal-listing, main") is not None
    assert site.html("thong-bao/").select_one('meta[http-equiv="refresh"]') is None
    small = json.loads((site.out / "dia-chi-cu/ban-do.json").read_text(encoding="utf-8"))
    assert small["paths"]["tin-tuc/hoat-dong"] == "9" and small["feeds"]["9"] == "tin-hoat-dong/feed.xml"
    assert not (site.out / "dia-chi-cu.json").exists()  # the import's map is not published


def test_imported_text_never_becomes_script(joomla: dict[str, Any], project: Site) -> None:
    site = _built(project, joomla)
    link = site.html("bai-viet/2024/01/lich-sinh-hoat/").select_one(".portal-article__body a")
    assert link.get_text() == "tin hoạt động" and link["href"] == "../../../../tin-hoat-dong/"  # an old category
    page = site.html("bai-viet/2023/09/tieu-de-dan-vao/")
    assert 'alert("x")' in page.select_one("h1").get_text()  # the pasted title is shown as text
    for file in site.out.rglob("*.html"):
        text = file.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "javascript:alert" not in text, file
        parsed = BeautifulSoup(text, "html.parser")
        runs = [s for s in parsed.select("script") if s.get("type") in (None, "text/javascript", "module")]
        assert not parsed.select("[onerror]") and not any("alert" in s.get_text() for s in runs), file


def test_old_views_are_shown_when_the_setting_asks(joomla: dict[str, Any], tmp_path: Path) -> None:
    def show(config: dict) -> None:
        config["extra"]["portal"]["old_site"] = {"show_hits": True}

    shown = _built(make_site(tmp_path / "shown", model=False, configure=show), joomla)
    assert "1.234 lượt xem trên trang cũ" in shown.html(URL101).select_one(".portal-article__meta").get_text()
    hidden = _built(make_site(tmp_path / "hidden", model=False), joomla)
    assert "lượt xem trên trang cũ" not in hidden.html(URL101).get_text()


def test_a_map_in_docs_cannot_replace_the_sites_own_files(project: Site) -> None:
    project.write("bai-viet/2024/tin.md", "---\ntitle: Tin\ndate: 2024-01-01\ncategory: Thông báo\n---\n\nTin.\n")
    hostile = {
        "format": 1,
        "articles": {
            "1": {
                "file": "bai-viet/2024/tin.md",
                "routes": [
                    "assets/portal/portal",
                    "thong-bao",
                    "bai-viet/2024/01/tin",
                    "../../etc",
                    "a/../b",
                    "ok/tin",
                ],
            }
        },
        "categories": {},
        "redirects": {"index": "javascript:alert(1)", "x": 'https://example.org/"><script>alert(1)</script>'},
    }
    project.write("dia-chi-cu.json", json.dumps(hostile))
    result = project.build()
    assert "WARNING" not in result.stderr
    assert not (project.out / "assets/portal/portal/index.html").exists()
    assert (project.out / "assets/portal/portal.js").read_text(encoding="utf-8").startswith("// Print")
    assert project.html("thong-bao/").select_one('meta[http-equiv="refresh"]') is None
    assert project.html("bai-viet/2024/01/tin/").select_one("h1").get_text(strip=True) == "Tin"
    assert (project.out / "ok/tin/index.html").exists() and not (project.out / "etc").exists()
    assert not (project.out / "index/index.html").exists()
    external = (project.out / "x/index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in external and "&lt;script&gt;" in external


def test_a_broken_map_stops_the_build_with_its_name(project: Site) -> None:
    project.write("dia-chi-cu.json", '{"articles": {"1": {"file": 3}}')
    result = project.build(check=False)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "docs/dia-chi-cu.json" in result.stderr and "chibo import --joomla" in result.stderr
    check = chibo(project, "check")
    assert check.returncode == 1 and "docs/dia-chi-cu.json:1: tệp địa chỉ cũ hỏng" in check.stdout


def test_the_old_sites_configuration_narrows_the_forms(joomla: dict[str, Any], tmp_path: Path) -> None:
    mirror = tmp_path / "mirror"
    shutil.copytree(joomla["mirror"], mirror)
    settings = (
        "<?php\nclass JConfig {\n\tpublic $sef = '1';\n\tpublic $sef_rewrite = '0';\n\tpublic $sef_suffix = '0';\n"
    )
    (mirror / "configuration.php").write_text(settings + "\tpublic $password = 'bí mật';\n}\n")
    site = make_site(tmp_path / "project", model=False)
    out = _import(site, {**joomla, "mirror": mirror}).stdout
    assert "bí mật" not in out and "bí mật" not in (site.docs / "dia-chi-cu.json").read_text(encoding="utf-8")
    assert "dạng index.php/…/)" in out
    site.build()
    route = "tin-tuc/9-hoat-dong/101-chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023"
    assert (site.out / f"index.php/{route}/index.html").exists()  # what Joomla's defaults served
    assert not (site.out / f"{route}/index.html").exists() and not (site.out / f"index.php/{route}.html").exists()
    (mirror / "configuration.php").write_text(settings.replace("$sef = '1'", "$sef = '0'") + "}\n")
    plain = make_site(tmp_path / "plain", model=False)
    assert "chỉ dạng index.php?option=com_content" in _import(plain, {**joomla, "mirror": mirror}).stdout
    plain.build()
    assert not (plain.out / f"index.php/{route}/index.html").exists()
    assert (plain.out / "dia-chi-cu/101/index.html").exists()  # the query form still finds the article
