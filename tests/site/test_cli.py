"""The editors' command `chibo` on real files in temporary projects."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import frontmatter
import pytest
from support import DATA, MODEL_ARTICLE, article, build_env, chibo, make_site


def _jpeg() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 6), (165, 29, 29)).save(out, "JPEG")
    return out.getvalue()


JPEG = _jpeg()

# A text copy of a page of the old site (the seed page), as editors would save one.
SEED = DATA / "bai-viet-giai-phap-sinh-hoat-chi-bo.txt"

JOOMLA_PAGE = """<!DOCTYPE html>
<html lang="vi-vn"><head><meta charset="utf-8"><title>Hội nghị tổng kết - Trung tâm CTXH</title></head>
<body>
<nav class="navbar"><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin-tuc">Tin tức</a></li></ul></nav>
<div class="item-page" itemscope itemtype="https://schema.org/Article">
  <meta itemprop="inLanguage" content="vi-VN">
  <div class="page-header"><h2 itemprop="headline">Chi bộ tổ chức hội nghị tổng kết năm 2024</h2></div>
  <dl class="article-info muted">
    <dd class="category-name">Danh mục: <a href="/tin-hoat-dong" itemprop="genre">Tin hoạt động</a></dd>
    <dd class="published"><time datetime="2024-12-28T08:30:00+07:00" itemprop="datePublished">Thứ Bảy, 28 Tháng 12 2024 08:30</time></dd>
  </dl>
  <div class="content_rating"><img src="/media/rating/rating_star.png" alt="Ngôi sao không hiệu lực">Ngôi sao không hiệu lực</div>
  <div itemprop="articleBody">
    <p>Ngày 28/12, Chi bộ Trung tâm đã tổ chức <strong>hội nghị tổng kết</strong> công tác năm 2024.</p>
    <h3>Kết quả nổi bật</h3>
    <ul><li>Hoàn thành 100% chỉ tiêu</li><li>Kết nạp <em>hai</em> đảng viên mới</li></ul>
    <table><tr><th>Chỉ tiêu</th><th>Kết quả</th></tr><tr><td>Đảng viên mới</td><td>2</td></tr></table>
    <p><img src="hoi-nghi_files/anh%20hoi%20nghi.jpg" alt="Toàn cảnh hội nghị"></p>
    <p><img src="http://ctxhdanang.vn/images/khong-co.jpg" alt="Ảnh khác"></p>
    <p>Bài viết: Lê Thị Đào</p>
  </div>
</div>
<div class="moduletable"><h3>Lượt truy cập</h3><p>Hôm nay 92</p></div>
<footer>TRUNG TÂM CÔNG TÁC XÃ HỘI THÀNH PHỐ ĐÀ NẴNG</footer>
</body></html>
"""


@pytest.fixture
def project(tmp_path: Path):
    site = make_site(tmp_path / "project", model=False)
    return site


def test_new_creates_a_complete_article_that_builds(project) -> None:
    result = chibo(
        project,
        "new",
        "Đảng bộ tổ chức hội nghị",
        "--category",
        "thong bao",
        "--author",
        "Văn Châu",
        env={"CHIBO_NOW": "2026-11-26T09:15:00+07:00"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "docs/bai-viet/2026/dang-bo-to-chuc-hoi-nghi.md"
    post = frontmatter.load(project.root / result.stdout.strip())
    assert post["title"] == "Đảng bộ tổ chức hội nghị"
    assert post["category"] == "Thông báo"
    assert str(post["date"]) == "2026-11-26 09:15"
    assert post["author"] == "Văn Châu"
    assert {"summary", "image", "tags", "draft", "pin"} <= set(post.keys())
    env = {"CHIBO_NOW": "2026-11-26T10:00:00+07:00"}

    def build() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project.root / "mkdocs.yml")],
            cwd=project.root,
            capture_output=True,
            text=True,
            env={**build_env(), **env},
        )

    # The placeholder line left in place would be published as the summary: refused by both.
    file = project.root / result.stdout.strip()
    lines = file.read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("Viết nội dung"))
    message = f"docs/bai-viet/2026/dang-bo-to-chuc-hoi-nghi.md:{line}: nội dung bài vẫn là dòng mẫu"
    check = chibo(project, "check", env=env)
    assert check.returncode == 1 and message in check.stdout, check.stdout
    refused = build()
    assert refused.returncode != 0 and message in refused.stderr, refused.stderr
    post.content = "Chi bộ đã tổ chức hội nghị."
    file.write_text(frontmatter.dumps(post) + "\n", encoding="utf-8")
    assert chibo(project, "check", env=env).returncode == 0
    built = build()
    assert built.returncode == 0, built.stderr
    page = project.html("bai-viet/2026/11/dang-bo-to-chuc-hoi-nghi/")
    assert "Chi bộ đã tổ chức hội nghị." in page.select_one(".portal-article__body").get_text()


def test_new_with_a_date(project) -> None:
    result = chibo(project, "new", "Thông báo lịch họp", "-c", "Thông báo", "--date", "30/11/2023 08:30")
    assert result.stdout.strip() == "docs/bai-viet/2023/thong-bao-lich-hop.md"
    assert str(frontmatter.load(project.root / result.stdout.strip())["date"]) == "2023-11-30 08:30"
    bad = chibo(project, "new", "Khác", "-c", "Thông báo", "--date", "2025-13-45")
    assert bad.returncode == 2 and "2025-13-45" in bad.stderr


def test_new_refuses_an_unknown_category(project) -> None:
    result = chibo(project, "new", "Bài mới", "--category", "Tin tức")
    assert result.returncode == 2
    assert '"Tin hoạt động", "Thông báo", "Xây dựng Đảng", "Văn bản"' in result.stderr
    assert not (project.docs / "bai-viet").exists()


def test_new_never_overwrites(project) -> None:
    first = chibo(project, "new", "Hội nghị", "-c", "Thông báo", "--date", "2024-01-01")
    path = project.root / first.stdout.strip()
    path.write_text(path.read_text(encoding="utf-8") + "\nNội dung đã viết.\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    second = chibo(project, "new", "Hội nghị", "-c", "Tin hoạt động", "--date", "2024-05-01")
    assert second.returncode == 1 and "không ghi đè" in second.stderr
    assert path.read_text(encoding="utf-8") == before


def test_help_is_in_vietnamese(project) -> None:
    result = chibo(project, "--help")
    assert "Cách dùng: chibo" in result.stdout and "tạo tệp bài viết mới" in result.stdout
    assert "usage:" not in result.stdout
    for command in ("new", "check", "import"):
        sub = chibo(project, command, "--help")
        assert sub.stdout.startswith(f"Cách dùng: chibo {command}"), sub.stdout
        assert "Cách dùng: Cách dùng" not in sub.stdout


def test_check_passes_a_clean_tree(project) -> None:
    project.write("bai-viet/2023/mau.md", MODEL_ARTICLE.read_text(encoding="utf-8"))
    result = chibo(project, "check")
    assert result.returncode == 0, result.stdout
    assert result.stdout == "" and "Không có lỗi" in result.stderr


def test_check_finds_each_kind_of_problem(project) -> None:
    project.write("images/co-that.png", b"\x89PNG")
    project.write("bai-viet/a.md", "---\ndate: 2024-01-01\ncategory: Thông báo\n---\n\nKhông tiêu đề.\n")
    project.write("bai-viet/b.md", "---\ntitle: B\ndate: 2025-13-45\ncategory: Tin tức\n---\n\nx\n")
    project.write("bai-viet/c.md", '---\ntitle: "C\ndate: 2024-01-01\n---\nx\n')
    project.write("bai-viet/d.md", article("Trùng", "2024-02-01", "Thông báo", image="anh-mat.jpg"))
    project.write("bai-viet/e.md", article("Trùng", "2024-02-09", "Văn bản"))
    project.write(
        "bai-viet/f.md",
        article(
            "Liên kết",
            "2024-03-01",
            "Thông báo",
            body="Đoạn một.\n\nXem [bài cũ](khong-co.md) và ![ảnh](/images/khong-co.png), ![ảnh](/images/co-that.png).\n\n"
            + unicodedata.normalize("NFD", "Chữ tổ hợp ở dòng này."),
        ),
    )
    result = chibo(project, "check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert all(re.match(r"^docs/[^:]+:\d+: ", line) for line in lines), lines
    out = result.stdout
    assert 'docs/bai-viet/a.md:1: thiếu trường "title"' in out
    assert 'docs/bai-viet/b.md:3: trường "date"' in out
    assert 'docs/bai-viet/b.md:4: trường "category": "Tin tức"' in out
    assert "docs/bai-viet/c.md:" in out and "front matter" in out
    assert 'docs/bai-viet/d.md:5: trường "image"' in out
    assert "docs/bai-viet/e.md:1: trùng địa chỉ /bai-viet/2024/02/trung/ với bài docs/bai-viet/d.md" in out
    assert 'docs/bai-viet/f.md:9: liên kết "khong-co.md"' in out
    assert 'docs/bai-viet/f.md:9: ảnh "/images/khong-co.png"' in out
    assert "co-that.png" not in out
    assert "docs/bai-viet/f.md:11: chữ ở dòng này gõ ở dạng tổ hợp (NFD)" in out


def test_check_finds_missing_identity_fields(tmp_path) -> None:
    def drop(config: dict) -> None:
        del config["extra"]["portal"]["contact"]["email"]

    site = make_site(tmp_path / "p", configure=drop)
    result = chibo(site, "check")
    assert result.returncode == 1
    assert result.stdout.startswith("mkdocs.yml:1: extra.portal.contact.email: thiếu thư điện tử")


def _paragraphs(markdown: str) -> list[str]:
    return [" ".join(p.split()) for p in markdown.split("\n\n") if p.strip()]


def test_import_of_the_seed_text_gives_the_model_article(project) -> None:
    result = chibo(project, "import", str(SEED), "--date", "2023-11-30")
    assert result.returncode == 0, result.stderr
    written = project.root / result.stdout.strip()
    imported = frontmatter.load(written)
    model = frontmatter.load(MODEL_ARTICLE)
    for key in ("title", "category", "author"):
        assert imported[key] == model[key]
    assert _paragraphs(imported.content) == _paragraphs(model.content)
    for dropped in ("tram22kjnfnafk", "Ngôi sao", "Lượt truy cập", "Forecast", "TRUNG TÂM CÔNG TÁC", "Bài viết;"):
        assert dropped not in written.read_text(encoding="utf-8")


def test_import_without_a_date_is_held_as_a_draft(project) -> None:
    result = chibo(project, "import", str(SEED))
    assert result.returncode == 0
    post = frontmatter.load(project.root / result.stdout.strip())
    assert post["draft"] is True
    assert "không ghi ngày đăng" in result.stderr


def test_import_of_a_joomla_page(project, tmp_path) -> None:
    saved = tmp_path / "saved"
    (saved / "hoi-nghi_files").mkdir(parents=True)
    (saved / "hoi-nghi_files/anh hoi nghi.jpg").write_bytes(JPEG)
    (saved / "hoi-nghi.html").write_text(JOOMLA_PAGE, encoding="utf-8")
    result = chibo(project, "import", str(saved / "hoi-nghi.html"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "docs/bai-viet/2024/chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2024.md"
    post = frontmatter.load(project.root / result.stdout.strip())
    assert post["title"] == "Chi bộ tổ chức hội nghị tổng kết năm 2024"
    assert post["category"] == "Tin hoạt động"
    assert str(post["date"]) == "2024-12-28 08:30"
    assert post["author"] == "Lê Thị Đào"
    body = post.content
    assert "**hội nghị tổng kết**" in body
    assert "### Kết quả nổi bật" in body
    assert "- Hoàn thành 100% chỉ tiêu\n- Kết nạp *hai* đảng viên mới" in body
    assert "| Chỉ tiêu | Kết quả |" in body and "| Đảng viên mới | 2 |" in body
    assert "![Toàn cảnh hội nghị](chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2024/anh-hoi-nghi.jpg)" in body
    copied = project.docs / "bai-viet/2024/chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2024/anh-hoi-nghi.jpg"
    assert copied.read_bytes() == JPEG
    assert "chưa chép được ảnh http://ctxhdanang.vn/images/khong-co.jpg" in result.stderr
    assert "docs/bai-viet/2024/chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2024/khong-co.jpg" in result.stderr
    for dropped in ("Ngôi sao", "Lượt truy cập", "TRUNG TÂM", "Bài viết:", "Trang chủ"):
        assert dropped not in body
    # the article it wrote passes the checks once its missing image is in place
    (copied.parent / "khong-co.jpg").write_bytes(b"\xff\xd8\xff")
    assert chibo(project, "check").returncode == 0


def test_import_of_a_directory_reports_and_skips_non_articles(project, tmp_path) -> None:
    folder = tmp_path / "old"
    folder.mkdir()
    (folder / "a.html").write_text(JOOMLA_PAGE, encoding="utf-8")
    (folder / "b.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "lien-he.html").write_text("<html><body><h1>Liên hệ</h1><p>Địa chỉ</p></body></html>", encoding="utf-8")
    (folder / "ghi-chu.md").write_text("không nhập", encoding="utf-8")
    result = chibo(project, "import", str(folder), "--date", "2023-11-30")
    assert result.returncode == 1  # one page could not be imported
    assert sorted(result.stdout.split()) == [
        "docs/bai-viet/2023/mot-so-giai-phap-tiep-tuc-nang-cao-chat-luong-sinh-hoat-chi-bo.md",
        "docs/bai-viet/2024/chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2024.md",
    ]
    assert "lien-he.html: bỏ qua — không phải trang bài viết" in result.stderr
    written = sorted(p.name for p in (project.docs / "bai-viet").rglob("*.md"))
    assert len(written) == 2
    again = chibo(project, "import", str(folder / "b.txt"), "--date", "2023-11-30")
    assert again.returncode == 1 and "không ghi đè" in again.stderr


def test_check_reports_to_the_github_job_summary(project, tmp_path) -> None:
    """In the publishing workflow the problems head the job's summary, in Vietnamese, and
    each one is an annotation on its file and line."""
    project.write("bai-viet/a.md", "---\ntitle: A\ndate: 2025-13-45\ncategory: Thông báo\n---\nx\n")
    summary = tmp_path / "summary.md"
    result = chibo(project, "check", "--github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1
    assert '::error file=docs/bai-viet/a.md,line=3,title=Lỗi nội dung::trường "date"' in result.stdout
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## Trang chưa được xuất bản: có 1 vấn đề trong nội dung")
    assert "<pre>docs/bai-viet/a.md:3: trường &quot;date&quot;: &quot;2025-13-45&quot; không phải ngày có thật" in text
    summary.unlink()
    project.write("bai-viet/a.md", article("A", "2025-12-01", "Thông báo"))
    assert chibo(project, "check", "--github", env={"GITHUB_STEP_SUMMARY": str(summary)}).returncode == 0
    assert summary.read_text(encoding="utf-8").startswith("## Kiểm tra nội dung: không có lỗi")


HOSTILE_PAGE = """<!DOCTYPE html><html lang="vi"><body>
<div itemscope itemtype="https://schema.org/Article">
  <h2 itemprop="headline">{title}</h2>
  <dd class="category-name">Danh mục: Tin hoạt động</dd>
  <time itemprop="datePublished" datetime="2024-12-28T08:30:00+07:00">28/12/2024</time>
  <div itemprop="articleBody">
    <p>Đoạn có <a href="javascript:alert(1)">liên kết độc</a>, <a href="vbscript:msgbox">một liên kết khác</a>,
       <a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">dữ liệu</a>
       và <a href="https://dangcongsan.vn" onclick="steal()">liên kết thật</a>.</p>
    <p onmouseover="alert(2)">Đoạn hai.</p>
    <p><img src="../secret.txt" alt="bí mật"><img src="{absolute}" alt="hệ thống"><img src="anh/lien-ket.jpg" alt="liên kết"></p>
    <p><img src="anh/gia.jpg" alt="giả"><img src="/images/joomla.jpg" alt="joomla"><img src="/images/../../ngoai.jpg" alt="ngoài"></p>
    <p><img src="anh/that.jpg" alt="thật"><img src="data:image/jpeg;base64,{data}" alt="dán"></p>
  </div>
</div></body></html>"""


def test_import_copies_only_images_from_where_they_may_come(project, tmp_path) -> None:
    import base64

    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu", encoding="utf-8")
    outside = tmp_path / "ngoai.jpg"
    outside.write_bytes(JPEG)  # a real image, but outside the page's folder and the site root
    saved = tmp_path / "luu" / "trang"
    (saved / "anh").mkdir(parents=True)
    (saved / "anh/that.jpg").write_bytes(JPEG)
    (saved / "anh/gia.jpg").write_bytes(b"#!/bin/sh\necho khong phai anh\n")  # named .jpg, not an image
    (saved / "anh/lien-ket.jpg").symlink_to(outside)  # a link that leads out of the folder
    root = tmp_path / "joomla"
    (root / "images").mkdir(parents=True)
    (root / "images/joomla.jpg").write_bytes(JPEG)
    page = HOSTILE_PAGE.format(title="Hội nghị", absolute=secret, data=base64.b64encode(JPEG).decode())
    (saved / "bai.html").write_text(page, encoding="utf-8")
    result = chibo(project, "import", str(saved / "bai.html"), "--site-root", str(root))
    assert result.returncode == 0, result.stderr
    written = project.root / result.stdout.strip()
    folder = written.parent / written.stem
    assert sorted(p.name for p in folder.iterdir()) == ["anh-8.jpg", "joomla.jpg", "that.jpg"]
    assert all(p.read_bytes() == JPEG for p in folder.iterdir())
    for refused in ("secret.txt", "lien-ket.jpg", "gia.jpg", "ngoai.jpg", str(secret)):
        assert refused in result.stderr, refused
    assert "không phải tệp ảnh" in result.stderr and "nằm ngoài thư mục" in result.stderr
    body = frontmatter.load(written).content
    for gone in ("javascript:", "vbscript:", "data:text", "onclick", "onmouseover", "steal", "data:image"):
        assert gone not in body, gone
    assert "[liên kết thật](https://dangcongsan.vn)" in body and "liên kết độc" in body
    # without --site-root, Joomla's "/images/…" is never read from the filesystem's root
    (saved / "bai.html").write_text(page.replace("Hội nghị", "Hội nghị khác"), encoding="utf-8")
    again = chibo(project, "import", str(saved / "bai.html"))
    assert "--site-root" in again.stderr
    assert not (written.parent / "hoi-nghi-khac/joomla.jpg").exists()


def test_import_never_writes_a_file_without_a_name(project, tmp_path) -> None:
    saved = tmp_path / "bai.html"
    saved.write_text(HOSTILE_PAGE.format(title="!!!", absolute="/x.jpg", data=""), encoding="utf-8")
    result = chibo(project, "import", str(saved))
    written = project.root / result.stdout.strip()
    assert written.name == "bai-20241228-0830.md" and written.is_file()
    assert frontmatter.load(written)["slug"] == "bai-20241228-0830"
    assert "tiêu đề không có chữ hay số" in result.stderr
    assert not list((project.docs / "bai-viet").rglob(".*"))
    new = chibo(project, "new", "!!!", "-c", "Thông báo")
    assert new.returncode == 2 and "tiêu đề cần có chữ hoặc số" in new.stderr
