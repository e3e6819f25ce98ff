"""The web editor at /admin/: served by the site itself, Vietnamese, configured from
mkdocs.yml and the content model, and used end to end in Chromium to write an article."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import frontmatter
import pytest
import yaml
from chibo.model import ARTICLE_FIELDS, DOCUMENT_FIELDS, readme_table
from support import REPO, Site, build_env, make_site, mkdocs_serve, served

ADMIN = REPO / "overrides/admin"


def test_vendored_editor_is_the_recorded_release() -> None:
    """Every vendored file has the checksum recorded when it was vendored; the CMS's script
    asks no CDN for its fonts."""
    record = json.loads((ADMIN / "VENDORED.json").read_text(encoding="utf-8"))
    files = {p.relative_to(ADMIN).as_posix() for p in ADMIN.rglob("*") if p.is_file()} - {"VENDORED.json"}
    assert files == set(record["files"])
    for name, digest in record["files"].items():
        assert hashlib.sha256((ADMIN / name).read_bytes()).hexdigest() == digest, name
    script = (ADMIN / "sveltia-cms.js").read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net/fontsource" not in script
    assert all((ADMIN / local).is_file() for local in record["patched"].values())
    assert record["packages"]["@sveltia/cms"]["integrity"].startswith("sha512-")
    assert "MIT License" in (ADMIN / "LICENSE-sveltia-cms.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    site = make_site(tmp_path_factory.mktemp("admin"))
    site.build()
    return site


def _config(site: Site) -> dict:
    return yaml.safe_load((site.out / "admin/config.yml").read_text(encoding="utf-8"))


def test_config_follows_the_content_model_and_mkdocs_yml(site: Site, tmp_path: Path) -> None:
    config = _config(site)
    articles = config["collections"][0]
    assert articles["folder"] == "docs/bai-viet" and articles["path"] == "{{year}}/{{slug}}"
    fields = {f["name"]: f for f in articles["fields"]}
    assert [f.name for f in ARTICLE_FIELDS if f.in_editor] + ["body"] == list(fields)
    for field in ARTICLE_FIELDS:
        if field.in_editor:
            assert fields[field.name]["label"] == field.label and fields[field.name]["widget"] == field.widget
            assert fields[field.name]["required"] == bool(field.required)
    assert fields["category"]["options"] == ["Tin hoạt động", "Thông báo", "Xây dựng Đảng", "Văn bản"]
    assert fields["date"]["format"] == "YYYY-MM-DD HH:mm" and fields["date"]["input_timezone"] == "Asia/Ho_Chi_Minh"
    assert config["publish_mode"] == "editorial_workflow"
    assert config["media_libraries"]["default"]["config"]["transformations"]["raster_image"]["width"] == 2000
    pages = next(c for c in config["collections"] if c["name"] == "trang")["files"]
    assert [(p["file"], p["label"]) for p in pages] == [
        ("docs/gioi-thieu.md", "Giới thiệu"),
        ("docs/lien-he.md", "Liên hệ"),
    ]
    documents = next(c for c in config["collections"] if c["name"] == "van-ban")
    assert documents["folder"] == "docs/van-ban" and documents["media_folder"] == ""
    doc_fields = {f["name"]: f for f in documents["fields"]}
    assert [f.name for f in DOCUMENT_FIELDS if f.in_editor] + ["body"] == list(doc_fields)
    for field in DOCUMENT_FIELDS:
        if field.in_editor:
            assert doc_fields[field.name]["label"] == field.label
    assert "Hướng dẫn" in doc_fields["type"]["options"] and doc_fields["file"]["widget"] == "file"
    assert doc_fields["issued"]["format"] == "YYYY-MM-DD" and doc_fields["issued"]["time_format"] is False
    # a category added in mkdocs.yml appears; approval can be turned off; a repository named
    other = make_site(
        tmp_path / "other",
        configure=lambda c: c["extra"]["portal"].update(
            categories=[*c["extra"]["portal"]["categories"], {"name": "Học tập và làm theo Bác"}],
            editor={"repo": "chibo-abc/cong-thong-tin", "approval": False},
        ),
    )
    other.build()
    changed = _config(other)
    assert changed["collections"][0]["fields"][2]["options"][-1] == "Học tập và làm theo Bác"
    assert changed["publish_mode"] == "simple" and changed["backend"]["repo"] == "chibo-abc/cong-thong-tin"


def test_readme_field_table_is_the_content_model() -> None:
    manual = (REPO / "HUONG-DAN.md").read_text(encoding="utf-8")
    assert readme_table() in manual
    assert readme_table(DOCUMENT_FIELDS) in manual


def test_chibo_new_writes_the_models_fields(tmp_path: Path) -> None:
    project = make_site(tmp_path / "p", model=False)
    result = subprocess.run(
        [sys.executable, "-m", "chibo.cli", "new", "Bài mới", "-c", "Thông báo"],
        cwd=project.root,
        capture_output=True,
        text=True,
        env=build_env(),
    )
    post = frontmatter.load(project.root / result.stdout.strip())
    assert set(post.keys()) <= {f.name for f in ARTICLE_FIELDS}


def test_admin_is_not_public(site: Site) -> None:
    admin = (site.out / "admin/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in admin
    assert "admin" not in (site.out / "sitemap.xml").read_text(encoding="utf-8")
    assert "admin" not in (site.out / "feed.xml").read_text(encoding="utf-8")
    for page in site.out.rglob("*.html"):
        if "admin" not in page.parts:
            text = page.read_text(encoding="utf-8")
            assert "sveltia" not in text.lower() and "/admin" not in text and "admin/" not in text, page
    index = "".join(p.read_text(encoding="utf-8") for p in (site.out / "tim-kiem/chi-muc").rglob("*.json"))
    assert "admin" not in index and "Biên tập" not in index


def _open_admin(browser, url: str):
    # an English browser: the interface must still be Vietnamese
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900}, bypass_csp=False)
    context.add_init_script("window.showDirectoryPicker = async () => navigator.storage.getDirectory();")
    page = context.new_page()
    page.errors, page.requests = [], []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.goto(url + "admin/")
    page.get_by_text("Làm việc với kho mã nguồn cục bộ").wait_for()
    return context, page


def _check_admin_page(page, base: str) -> None:
    assert page.get_by_text("Đăng nhập bằng mã truy cập").count() == 1
    assert page.get_by_text("available in").count() == 0  # no offer to switch to English
    assert [u for u in page.requests if not u.startswith((base, "blob:", "data:"))] == []
    assert page.errors == []


def test_admin_loads_from_the_built_site_in_vietnamese(browser, site: Site) -> None:
    with served(site.out) as base:
        context, page = _open_admin(browser, base)
        _check_admin_page(page, base)
        context.close()


def test_admin_loads_from_mkdocs_serve(browser, tmp_path: Path) -> None:
    site = make_site(tmp_path / "serve")
    temp = tmp_path / "tmp"
    temp.mkdir()
    with mkdocs_serve(site, temp) as (base, _):
        context, page = _open_admin(browser, base)
        _check_admin_page(page, base)
        context.close()


# Puts a folder's files into the browser's private file system, which then stands for the
# folder an editor picks in the local-repository mode.
_WRITE = """async (files) => {
  const root = await navigator.storage.getDirectory();
  for (const [path, b64] of Object.entries(files)) {
    let dir = root; const parts = path.split('/');
    for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, {create: true});
    const writable = await (await dir.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await writable.write(Uint8Array.from(atob(b64), c => c.charCodeAt(0))); await writable.close();
  }
}"""
_READ = """async () => {
  const out = {};
  async function walk(dir, prefix) {
    for await (const [name, handle] of dir.entries()) {
      if (handle.kind === 'directory') { await walk(handle, prefix + name + '/'); continue; }
      const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
      let text = ''; for (const b of bytes) text += String.fromCharCode(b);
      out[prefix + name] = btoa(text);
    }
  }
  await walk(await navigator.storage.getDirectory(), '');
  return out;
}"""


def _phone_photo(path: Path) -> None:
    """A 3000×2000 JPEG with a GPS position in its EXIF, as a phone writes it."""
    from PIL import Image

    image = Image.new("RGB", (3000, 2000), (165, 29, 29))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (16.0, 3.0, 36.0), 3: "E", 4: (108.0, 13.0, 12.0)}  # GPSInfo
    image.save(path, "JPEG", exif=exif)


@pytest.fixture
def repository(tmp_path: Path) -> Iterator[Site]:
    yield make_site(tmp_path / "repo")


def test_an_editor_writes_an_article_with_a_photo(browser, repository: Site, tmp_path: Path) -> None:
    from PIL import Image

    repository.build()
    photo = tmp_path / "IMG_0042.jpg"
    _phone_photo(photo)
    assert Image.open(photo).getexif().get_ifd(0x8825)  # the photo does carry a position
    files = _repository_files(repository)  # the folder an editor picks is a clone: it has its .git
    with served(repository.out) as base:
        context, page = _open_admin(browser, base)
        page.evaluate(_WRITE, files)
        page.get_by_text("Làm việc với kho mã nguồn cục bộ").click()
        page.get_by_role("button", name="Tạo bài viết mới").wait_for()
        assert page.get_by_text("available in").count() == 0  # no offer to switch to English
        page.get_by_role("button", name="Tạo bài viết mới").click()
        title = page.get_by_role("textbox", name="Tiêu đề", exact=True)
        for _ in range(20):  # the form may still be settling as it first appears
            title.fill("Đảng bộ tổ chức sinh hoạt chuyên đề")
            page.wait_for_timeout(200)
            if title.input_value() == "Đảng bộ tổ chức sinh hoạt chuyên đề":
                break
        # the categories offered are exactly mkdocs.yml's
        group = page.locator('[data-key-path="category"]')
        assert group.get_by_role("radio").count() == 4
        for name in ("Tin hoạt động", "Thông báo", "Xây dựng Đảng", "Văn bản"):
            assert group.get_by_role("radio", name=name, exact=True).count() == 1
        page.get_by_role("radio", name="Thông báo").click()
        page.get_by_role("textbox", name="Tác giả", exact=True).fill("Lê Thị Đào")
        page.get_by_role("textbox", name="Giá trị của mục").first.fill("sinh hoạt chi bộ")
        page.get_by_role("button", name=re.compile("Thêm.*Thẻ")).click()
        page.get_by_role("textbox", name="Giá trị của mục").nth(1).fill("đảng phí")
        page.locator("input[type=file]").first.set_input_files(photo)
        # the CMS resizes the photo in the browser before it shows it; save only after that
        page.locator('[data-key-path="image"] img').first.wait_for(timeout=30_000)
        page.get_by_role("textbox", name="Chú thích ảnh", exact=True).fill("Toàn cảnh buổi sinh hoạt")
        page.locator("[contenteditable=true]").first.click()
        page.keyboard.type("Sáng nay, Đảng bộ đã tổ chức sinh hoạt chuyên đề.")
        page.get_by_role("button", name="Lưu").click()
        # saved once the article's file and its photo are in a year folder of their own
        saved = """async () => {
          const articles = await (await (await navigator.storage.getDirectory())
            .getDirectoryHandle('docs')).getDirectoryHandle('bai-viet');
          const found = {md: false, photo: false};
          async function walk(dir) {
            for await (const [name, handle] of dir.entries()) {
              if (handle.kind === 'directory') await walk(handle);
              else if (name.endsWith('.md')) found.md = true;
              else if ((await handle.getFile()).size > 0) found.photo = true;
            }
          }
          try {
            for await (const [year, folder] of articles.entries())
              if (year !== '2023' && folder.kind === 'directory') await walk(folder);
          } catch (error) {
            return false;  // a file still being written; look again
          }
          return found.md && found.photo;
        }"""
        for _ in range(300):
            if page.evaluate(saved):
                break
            page.wait_for_timeout(100)
        page.wait_for_timeout(500)
        written = {path: base64.b64decode(b64) for path, b64 in page.evaluate(_READ).items()}
        assert page.errors == []
        assert [u for u in page.requests if not u.startswith((base, "blob:", "data:"))] == []
        context.close()

    new = {p: data for p, data in written.items() if p.startswith("docs/bai-viet/2") and "/2023/" not in p}
    article_path = next((p for p in new if p.endswith(".md")), "")
    assert article_path, sorted(written)
    # the file name as the portal makes addresses: year, no diacritics, đ -> d
    assert re.fullmatch(r"docs/bai-viet/20\d\d/dang-bo-to-chuc-sinh-hoat-chuyen-de\.md", article_path)
    photo_path = next(p for p in new if not p.endswith(".md"))
    assert photo_path.startswith(article_path[: -len(".md")] + "/")
    post = frontmatter.loads(new[article_path].decode("utf-8"))
    assert post["title"] == "Đảng bộ tổ chức sinh hoạt chuyên đề" and post["category"] == "Thông báo"
    assert post["tags"] == ["sinh hoạt chi bộ", "đảng phí"] and post["author"] == "Lê Thị Đào"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", str(post["date"]))
    assert post["image_caption"] == "Toàn cảnh buổi sinh hoạt"
    assert post.content.strip() == "Sáng nay, Đảng bộ đã tổ chức sinh hoạt chuyên đề."
    # the photo was resized on upload, and its GPS position is gone
    image = Image.open(io.BytesIO(new[photo_path]))
    assert max(image.size) == 2000 and not image.getexif().get_ifd(0x8825)

    # exactly what the CMS would commit: it passes chibo check, and the site shows it
    for path, data in new.items():
        target = repository.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    check = subprocess.run(
        [sys.executable, "-m", "chibo.cli", "check"],
        cwd=repository.root,
        capture_output=True,
        text=True,
        env=build_env(),
    )
    assert check.returncode == 0, check.stdout + check.stderr
    repository.build()
    year, month = str(post["date"])[:4], str(post["date"])[5:7]
    page = repository.html(f"bai-viet/{year}/{month}/dang-bo-to-chuc-sinh-hoat-chuyen-de/")
    figure = page.select_one("figure.portal-article__image")
    assert figure.select_one("figcaption").get_text() == "Toàn cảnh buổi sinh hoạt"
    source = figure.select_one("img")["src"]
    shown = (repository.out / f"bai-viet/{year}/{month}/dang-bo-to-chuc-sinh-hoat-chuyen-de/" / source).resolve()
    # the build's own variants of the uploaded photo (the upload itself stays off the site)
    assert (
        shown.is_file()
        and shown.name.startswith(Path(photo_path).stem + "-")
        and figure.select_one("picture > source[type='image/avif']")["srcset"]
    )
    assert not (repository.out / photo_path.removeprefix("docs/")).exists()


def _repository_files(repository: Site) -> dict[str, str]:
    """The project's files as the browser's folder holds them, with a .git as a clone has."""
    files = {
        p.relative_to(repository.root).as_posix(): base64.b64encode(p.read_bytes()).decode()
        for p in [repository.root / "mkdocs.yml", *repository.docs.rglob("*")]
        if p.is_file()
    }
    files[".git/HEAD"] = base64.b64encode(b"ref: refs/heads/main\n").decode()
    files[".git/config"] = base64.b64encode(
        b'[remote "origin"]\n\turl = https://github.com/tai-khoan/ten-kho.git\n'
    ).decode()
    return files


def test_an_editor_adds_a_document_with_its_pdf(browser, repository: Site, tmp_path: Path) -> None:
    from support import text_pdf

    repository.build()
    pdf = tmp_path / "hd.pdf"
    pdf.write_bytes(text_pdf("Hướng dẫn về sinh hoạt chi bộ"))
    with served(repository.out) as base:
        context, page = _open_admin(browser, base)
        blocked: list[str] = []
        page.on("requestfailed", lambda r: blocked.append(f"{r.url} {r.failure}"))
        page.evaluate(_WRITE, _repository_files(repository))
        page.get_by_text("Làm việc với kho mã nguồn cục bộ").click()
        page.get_by_role("button", name="Tạo bài viết mới").wait_for()
        page.get_by_text("Văn bản", exact=True).first.click()
        page.get_by_role("button", name="Tạo bài viết mới").last.click()
        number = page.get_by_role("textbox", name="Số/Ký hiệu", exact=True)
        for _ in range(20):  # the form may still be settling as it first appears
            number.fill("12-HD/BTCTW")
            page.wait_for_timeout(200)
            if number.input_value() == "12-HD/BTCTW":
                break
        page.locator('[data-key-path="type"]').get_by_role("combobox").click()
        page.get_by_role("option", name="Hướng dẫn", exact=True).click()
        page.get_by_role("textbox", name="Cơ quan ban hành", exact=True).fill("Ban Tổ chức Trung ương")
        page.locator('[data-key-path="issued"] input[type=date]').fill("2018-07-06")
        page.get_by_role("textbox", name="Trích yếu", exact=True).fill("Về sinh hoạt chi bộ")
        page.locator('[data-key-path="file"] input[type=file]').first.set_input_files(pdf)
        page.get_by_role("button", name="Lưu").click()
        written: dict[str, bytes] = {}
        for _ in range(300):
            try:
                written = {p: base64.b64decode(b) for p, b in page.evaluate(_READ).items() if "van-ban/" in p}
            except Exception:  # noqa: BLE001 - a file still being written; look again
                written = {}
            if any(p.endswith(".md") for p in written) and any(p.endswith(".pdf") and d for p, d in written.items()):
                break
            page.wait_for_timeout(100)
        # the CMS's PDF preview would load PDF.js from a CDN: the page's policy stops it unsent
        assert all(" csp" in b or b.startswith(base) for b in blocked), blocked
        assert [u for u in page.requests if not u.startswith((base, "blob:", "data:", "https://unpkg.com/pdfjs"))] == []
        context.close()

    for path, data in written.items():
        target = repository.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    md = next(p for p in written if p.endswith(".md"))
    meta = frontmatter.loads(written[md].decode("utf-8"))
    assert meta["number"] == "12-HD/BTCTW" and meta["type"] == "Hướng dẫn" and str(meta["issued"]) == "2018-07-06"
    repository.build()  # what the CMS would commit publishes as it is
    page = repository.html("van-ban/2018/12-hd-btctw/")
    assert page.h1.get_text(strip=True) == "Hướng dẫn số 12-HD/BTCTW"
    link = page.select_one(".portal-document__files a")["href"]
    assert (repository.out / "van-ban/2018/12-hd-btctw/" / link).resolve().read_bytes() == pdf.read_bytes()
