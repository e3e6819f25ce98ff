"""The document library ("Văn bản"): real sites with real PDFs made here (a Vietnamese text layer,
an image-only scan, TCVN3 text), read back as a reader and a search engine would."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import feedparser
import pytest
from PIL import Image
from support import document, latin1_pdf, make_site, scan_pdf, served, served_records, text_pdf

PDF_PHRASE = "gương mẫu tự soi tự sửa trong sinh hoạt chuyên đề"
GUIDE = document(
    "12-HD/BTCTW",
    "Hướng dẫn",
    "Ban Tổ chức Trung ương",
    "06/7/2018",
    "Một số vấn đề về nâng cao chất lượng sinh hoạt chi bộ",
    signer="Phạm Minh Chính, Trưởng ban",
    fields=["Công tác tổ chức"],
    replaces=["09-HD/BTCTW"],
    file="12-hd-btctw.pdf",
)
OLD_GUIDE = document(
    "09-HD/BTCTW",
    "Hướng dẫn",
    "Ban Tổ chức Trung ương",
    "2012-03-02",
    "Hướng dẫn cũ về sinh hoạt chi bộ",
    file="09-hd-btctw.pdf",
)
CONCLUSION = document(
    "18-KL/TW",
    "Kết luận",
    "Ban Bí thư",
    "22/9/2017",
    "Về tiếp tục đẩy mạnh thực hiện Chỉ thị 10-CT/TW",
    body="Toàn văn: **tiếp tục** nâng cao chất lượng sinh hoạt chi bộ.",
    effective="2017-10-01",
    expires="2020-01-01",
)
FUTURE = document(
    "05/QĐ-UBND", "Quyết định", "UBND thành phố", "2026-11-20", "Quy chế mới", effective="2027-01-01", file="qd.pdf"
)


DOCUMENTS = {
    "van-ban/2018/12-hd-btctw.md": GUIDE,
    "van-ban/2012/09-hd-btctw.md": OLD_GUIDE,
    "van-ban/2017/18-kl-tw.md": CONCLUSION,
    "van-ban/2026/05-qd.md": FUTURE,
}


def _pdfs() -> dict[str, bytes]:
    return {
        "van-ban/2018/12-hd-btctw.pdf": text_pdf(f"HƯỚNG DẪN. Chi bộ {PDF_PHRASE}.", pages=2),
        "van-ban/2012/09-hd-btctw.pdf": text_pdf("Hướng dẫn năm 2012 về sinh hoạt chi bộ."),
        "van-ban/2026/qd.pdf": text_pdf("Quyết định ban hành quy chế."),
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("library") / "p", DOCUMENTS)
    for path, data in _pdfs().items():
        site.write(path, data)
    return site, site.build()


def test_registry_is_a_table_newest_first_without_javascript(built) -> None:
    site, _ = built
    page = site.html("van-ban/")
    table = page.select_one("table.portal-registry__table")
    headers = [th.get_text(strip=True) for th in table.select("thead th")]
    assert headers == ["Số/Ký hiệu", "Ngày ban hành", "Trích yếu", "Loại", "Cơ quan ban hành", "Tình trạng", "Tải về"]
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    rows = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")]
    assert [r[0] for r in rows] == ["05/QĐ-UBND", "12-HD/BTCTW", "18-KL/TW", "09-HD/BTCTW"]
    assert rows[1][1] == "06/07/2018" and rows[1][3] == "Hướng dẫn" and rows[1][4] == "Ban Tổ chức Trung ương"
    statuses = {r[0]: r[5] for r in rows}
    assert statuses == {
        "05/QĐ-UBND": "Chưa có hiệu lực",
        "12-HD/BTCTW": "Còn hiệu lực",
        "18-KL/TW": "Hết hiệu lực",
        "09-HD/BTCTW": "Bị thay thế",
    }
    download = table.select("tbody tr")[1].select_one("td:last-child a")
    assert download["href"].endswith("van-ban/2018/12-hd-btctw.pdf") and download.get_text(" ", strip=True).startswith(
        "PDF"
    )
    assert (site.out / "van-ban/2018/12-hd-btctw.pdf").read_bytes().startswith(b"%PDF-")
    # the menu's "Văn bản" leads here; the category's articles are listed beside it
    menu = {a.get_text(strip=True): a["href"] for a in site.html("").select(".md-tabs a")}
    assert menu["Văn bản"] == "van-ban/"
    assert (site.out / "van-ban/tin-bai/index.html").is_file()
    assert page.select_one(".portal-registry__news a")["href"].endswith("van-ban/tin-bai/")
    # per type and per year
    kinds = site.html("van-ban/loai/huong-dan/").select("table.portal-registry__table tbody tr")
    assert [tr.td.get_text(strip=True) for tr in kinds] == ["12-HD/BTCTW", "09-HD/BTCTW"]
    year = site.html("van-ban/2017/").select("table.portal-registry__table tbody tr")
    assert [tr.td.get_text(strip=True) for tr in year] == ["18-KL/TW"]


def test_detail_page_fields_files_preview_and_links(built) -> None:
    site, _ = built
    page = site.html("van-ban/2018/12-hd-btctw/")
    assert page.h1.get_text(strip=True) == "Hướng dẫn số 12-HD/BTCTW"
    fields = {
        tr.th.get_text(strip=True): tr.td.get_text(" ", strip=True)
        for tr in page.select("table.portal-document__fields tr")
    }
    assert fields["Số/Ký hiệu"] == "12-HD/BTCTW" and fields["Cơ quan ban hành"] == "Ban Tổ chức Trung ương"
    assert fields["Ngày ban hành"] == "06/07/2018" and fields["Người ký"] == "Phạm Minh Chính, Trưởng ban"
    assert fields["Lĩnh vực"] == "Công tác tổ chức" and fields["Tình trạng"] == "Còn hiệu lực"
    files = page.select_one(".portal-document__files li").get_text(" ", strip=True)
    size = (site.docs / "van-ban/2018/12-hd-btctw.pdf").stat().st_size
    assert f"(PDF, {round(size / 1000)} kB, 2 trang)" in files
    image = page.select_one(".portal-document__preview img")
    preview = Image.open(io.BytesIO((site.out / "van-ban/2018/12-hd-btctw/trang-dau.jpg").read_bytes()))
    assert preview.format == "JPEG" and (preview.width, preview.height) == (int(image["width"]), int(image["height"]))
    assert image["alt"] == "Trang đầu của văn bản 12-HD/BTCTW"
    replaces = page.find(id="portal-replaces-title").find_parent("section")
    assert replaces.a["href"].endswith("van-ban/2012/09-hd-btctw/")
    old = site.html("van-ban/2012/09-hd-btctw/")
    status = next(tr for tr in old.select("table.portal-document__fields tr") if tr.th.get_text() == "Tình trạng")
    assert "Bị thay thế bởi Hướng dẫn số 12-HD/BTCTW" in status.td.get_text(" ", strip=True)
    same = page.find(id="portal-same-type-title").find_parent("section")
    assert [a.get_text() for a in same.select("a")] == ["Hướng dẫn số 09-HD/BTCTW"]
    assert page.select_one("[data-portal-print]") is not None
    # link previews and structured data
    assert page.find("meta", property="og:image")["content"].endswith("van-ban/2018/12-hd-btctw/trang-dau.jpg")
    data = json.loads(page.find("script", type="application/ld+json").string)
    assert data["@type"] == "Legislation" and data["legislationIdentifier"] == "12-HD/BTCTW"
    assert data["legislationDate"] == "2018-07-06" and data["legislationType"] == "Hướng dẫn"
    assert data["legislationPassedBy"]["name"] == "Ban Tổ chức Trung ương"
    # a document whose full text is its body
    body = site.html("van-ban/2017/18-kl-tw/").select_one(".portal-article__body")
    assert body.strong.get_text() == "tiếp tục"


def test_article_mention_becomes_a_link_and_the_document_lists_the_article(built) -> None:
    site, _ = built
    article = site.html("bai-viet/2023/11/mot-so-giai-phap-tiep-tuc-nang-cao-chat-luong-sinh-hoat-chi-bo/")
    links = {a.get_text(): a["href"] for a in article.select(".portal-article__body a.portal-doc-link")}
    assert links["12-HD/BTCTW"] == "../../../../van-ban/2018/12-hd-btctw/"
    # 18-KL/TW is the Ban Bí thư's here too; 10-CT/TW is not in the library: plain text
    assert links["18-KL/TW"] == "../../../../van-ban/2017/18-kl-tw/" and "10-CT/TW" not in links
    mentioned = site.html("van-ban/2018/12-hd-btctw/").find(id="portal-mentioned-title").find_parent("section")
    assert "Một số giải pháp tiếp tục nâng cao chất lượng sinh hoạt chi bộ" in mentioned.get_text()


def test_feed_sitemap_data_and_search(built) -> None:
    site, _ = built
    feed = feedparser.parse((site.out / "van-ban/feed.xml").read_bytes())
    assert not feed.bozo and feed.entries[0].title.startswith("Quyết định số 05/QĐ-UBND")
    sitemap = (site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert "van-ban/2018/12-hd-btctw/</loc>" in sitemap and "van-ban/loai/huong-dan/</loc>" in sitemap
    rows = json.loads((site.out / "van-ban/danh-sach.json").read_text(encoding="utf-8"))["rows"]
    assert [r["n"] for r in rows][:2] == ["05/QĐ-UBND", "12-HD/BTCTW"] and rows[1]["tk"] == "huong-dan"
    meta = json.loads((site.out / "tim-kiem/chi-muc/meta.json").read_text(encoding="utf-8"))
    assert "Văn bản" in meta["categories"]
    with served(site.out) as base:
        inside_pdf = served_records(base, "soi")  # only in the PDF's text layer
        assert inside_pdf and served_records(base, "btctw")


def test_warnings_do_not_stop_publishing(built) -> None:
    _, result = built  # --strict
    assert 'trường "replaces"' not in result.stderr  # 09-HD/BTCTW is in the library


def test_scan_legacy_text_and_unknown_replacement_are_warned(new_site) -> None:
    site = new_site(
        {
            "van-ban/2020/scan.md": document(
                "01-TB/CB", "Thông báo", "Chi bộ", "2020-01-02", "Lịch họp", file="scan.pdf"
            ),
            "van-ban/2020/go-cu.md": document(
                "03-TB/CB", "Thông báo", "Chi bộ", "2020-01-04", "Th«ng b¸o lÞch häp chi bé", body="Néi dung."
            ),
            "van-ban/2020/cu.md": document(
                "02-TB/CB", "Thông báo", "Chi bộ", "2020-01-03", "Lịch cũ", file="cu.pdf", replaces=["99-TB/CB"]
            ),
        }
    )
    site.write("van-ban/2020/scan.pdf", scan_pdf())
    site.write("van-ban/2020/cu.pdf", latin1_pdf("Céng hoµ x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc"))
    result = site.build()  # --strict: warnings are shown, publishing goes on
    assert "docs/van-ban/2020/scan.md:" in result.stderr and "không tìm được chữ trong tệp" in result.stderr
    assert "docs/van-ban/2020/cu.md:" in result.stderr and "TCVN3 hoặc VNI" in result.stderr
    assert "thư viện chưa có văn bản số 99-TB/CB" in result.stderr
    assert (
        "docs/van-ban/2020/go-cu.md:1: trích yếu hoặc nội dung: chữ trong tệp có vẻ gõ bằng bảng mã cũ" in result.stderr
    )
    assert (site.out / "van-ban/2020/01-tb-cb/index.html").is_file()


REFUSALS = [
    ("thiếu số", document("", "Chỉ thị", "Ban Bí thư", "2020-01-01", "X", body="Nội dung."), 'thiếu trường "number"'),
    (
        "ngày không có thật",
        document("1-CT/TW", "Chỉ thị", "Ban Bí thư", "2020-02-30", "X", body="Nội dung."),
        '"2020-02-30" không phải ngày có thật',
    ),
    (
        "hiệu lực trước ban hành",
        document("1-CT/TW", "Chỉ thị", "Ban Bí thư", "2020-03-01", "X", body="N.", effective="2020-02-01"),
        "trước ngày ban hành 01/03/2020",
    ),
    (
        "loại lạ",
        document("1-CT/TW", "Chỉ dụ", "Ban Bí thư", "2020-03-01", "X", body="N."),
        '"Chỉ dụ" không phải loại văn bản đã khai báo. Hãy viết một trong: Nghị quyết, Quyết định, Chỉ thị',
    ),
    (
        "không có tệp",
        document("1-CT/TW", "Chỉ thị", "Ban Bí thư", "2020-03-01", "X", file="khong-co.pdf"),
        "không có tệp docs/van-ban/2020/khong-co.pdf",
    ),
    (
        "không tệp, không toàn văn",
        document("1-CT/TW", "Chỉ thị", "Ban Bí thư", "2020-03-01", "X"),
        'thiếu trường "file"',
    ),
    (
        "tệp giả PDF",
        document("1-CT/TW", "Chỉ thị", "Ban Bí thư", "2020-03-01", "X", file="gia.pdf"),
        "nội dung tệp không phải PDF",
    ),
]


@pytest.mark.parametrize(("what", "text", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_name_file_line_and_field(new_site, what, text, message) -> None:
    site = new_site({"van-ban/2020/vb.md": text})
    site.write("van-ban/2020/gia.pdf", b"<html>not a pdf</html>")
    result = site.build(check=False)
    assert result.returncode != 0, what
    assert "docs/van-ban/2020/vb.md:" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr


def test_same_number_issuer_and_year_is_refused(new_site) -> None:
    text = document("12-HD/BTCTW", "Hướng dẫn", "Ban Tổ chức Trung ương", "2018-07-06", "X", body="Nội dung.")
    site = new_site({"van-ban/2018/a.md": text, "van-ban/2018/b.md": text.replace("X", "Y")})
    result = site.build(check=False)
    assert result.returncode != 0
    assert (
        "docs/van-ban/2018/b.md:1: văn bản số 12-HD/BTCTW của Ban Tổ chức Trung ương năm 2018 đã có ở docs/van-ban/2018/a.md"
        in result.stderr
    )
    # a draft is not published, nor its file
    site = new_site({"van-ban/2018/a.md": text, "van-ban/2018/b.md": text.replace("X", "Y") + "\n"})
    site.write("van-ban/2018/b.md", text.replace("summary: X", "summary: Y\ndraft: true\nfile: nhap.pdf"))
    site.write("van-ban/2018/nhap.pdf", text_pdf("Bản nháp"))
    site.build()
    assert not (site.out / "van-ban/2018/nhap.pdf").exists()


def test_chibo_check_and_chibo_van_ban(new_site) -> None:
    site = new_site(model=False)
    site.write("van-ban/2018/12-hd-btctw.pdf", text_pdf("Hướng dẫn"))
    run = [sys.executable, "-m", "chibo.cli"]
    made = subprocess.run(
        [*run, "van-ban", "12-HD/BTCTW", "--type", "huong dan", "--issuer", "Ban Tổ chức Trung ương",
         "--date", "06/7/2018", "--summary", "Về sinh hoạt chi bộ", "--file", "12-hd-btctw.pdf"],
        cwd=site.root, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "number: 12-HD/BTCTW\n" in (site.docs / "van-ban/2018/12-hd-btctw.md").read_text(encoding="utf-8")
    site.build()
    assert site.html("van-ban/2018/12-hd-btctw/").h1.get_text(strip=True) == "Hướng dẫn số 12-HD/BTCTW"
    site.write("van-ban/2018/sai.md", document("13-HD/BTCTW", "Hướng dẫn", "Ban", "2018-07-07", "X", file="mat.pdf"))
    checked = subprocess.run([*run, "check"], cwd=site.root, capture_output=True, text=True, check=False)
    assert checked.returncode != 0 and "docs/van-ban/2018/sai.md:" in checked.stdout + checked.stderr
    assert "không có tệp docs/van-ban/2018/mat.pdf" in checked.stdout + checked.stderr


def test_what_an_editor_writes_in_a_document_stays_text(new_site) -> None:
    hostile = '<script>alert(1)</script>" onmouseover="alert(2)'
    site = new_site(
        {
            "van-ban/2020/x.md": document(
                "7-TB/CB",
                "Thông báo",
                hostile,
                "2020-05-05",
                hostile,
                signer=hostile,
                fields=[hostile],
                body="Toàn văn <script>alert(3)</script><img src=x onerror=alert(4)>",
            )
        }
    )
    site.build()
    for page in (site.html("van-ban/"), site.html("van-ban/2020/7-tb-cb/")):
        scripts = [s for s in page.find_all("script") if s.get("type") != "application/ld+json"]
        assert not [s for s in scripts if "alert" in (s.string or "")]
        assert not [t for t in page.find_all(True) if any(a.startswith("on") for a in t.attrs)]
        assert hostile in page.get_text()  # shown as written, as text
    data = site.html("van-ban/2020/7-tb-cb/").find("script", type="application/ld+json").string
    assert "<" not in data and json.loads(data)["abstract"] == hostile
