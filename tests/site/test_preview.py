"""The preview keeps up (`mkdocs serve` as an editor uses it), and warm publishing builds give
exactly what a cold build gives."""

from __future__ import annotations

import contextlib
import filecmp
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from support import REPO, Site, article, build_env, make_site, mkdocs_serve, phone_photo, served_records

CATEGORY = "Thông báo"


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def _until(check: Callable[[], bool], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"the preview never showed: {what}")


def _files(folder: Path) -> dict[str, int]:
    """The served site's files and their modification times (MkDocs' hidden staging left out)."""
    out = {}
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in relative.split("/")):
            out[relative] = path.stat().st_mtime_ns
    return out


def _articles() -> dict[str, str]:
    return {
        f"bai-viet/2024/bai-{n}.md": article(f"Thông báo số {n}", f"2024-05-{n:02d}", CATEGORY, body=f"Nội dung {n}.")
        for n in range(1, 7)
    }


@contextlib.contextmanager
def _serving(site: Site, tmp_path: Path, page: str) -> Iterator[tuple[str, Any]]:
    """`mkdocs serve` of `site`, once `page` is served and the first build's writes settled."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    with mkdocs_serve(site, temp, watch=True) as (base, server):
        _until(lambda: _get(base + page)[0] == 200, f"/{page}")
        time.sleep(1.5)
        yield base, server


def test_the_preview_follows_edits_and_rewrites_only_what_changed(tmp_path: Path) -> None:
    site = make_site(tmp_path / "p", _articles())
    newest = "bai-viet/2024/05/thong-bao-so-6/"
    with _serving(site, tmp_path, newest) as (base, server):
        served = next((tmp_path / "tmp").glob("mkdocs_*"))
        before = _files(served)
        epoch = int(_get(base + "livereload/0/0")[1])  # what browsers showing the site know

        # a body edit: its page changes, and no other file of the site is written again
        site.write("bai-viet/2024/bai-6.md", _articles()["bai-viet/2024/bai-6.md"] + "\nMột câu mới thêm vào.\n")
        _until(lambda: "Một câu mới thêm vào." in _get(base + newest)[1], "the new sentence")
        assert int(_get(base + "livereload/0/0")[1]) > epoch, "browsers are not told to reload"
        time.sleep(1.5)
        after = _files(served)
        changed = sorted(path for path, mtime in after.items() if before.get(path) != mtime)
        # the search index follows in the background: a new version of it, nothing else
        index = "tim-kiem/chi-muc/"
        assert [path for path in changed if not path.startswith(index)] == [f"{newest}index.html"], changed
        assert {p for p in after if not p.startswith(index)} == {p for p in before if not p.startswith(index)}
        assert served_records(base, "thêm") != [], "the new sentence's words are not in the search index"
        versions = {p.split("/")[2] for p in _files(served) if p.startswith(index) and p.count("/") == 3}
        assert len(versions) == 1, versions  # the older index's folder is gone

        # another article's body edit stays when a later save plans the site again
        other = "bai-viet/2024/05/thong-bao-so-5/"
        site.write("bai-viet/2024/bai-5.md", _articles()["bai-viet/2024/bai-5.md"] + "\nCâu của bài năm về Xuânhòa.\n")
        _until(lambda: "Xuânhòa" in _get(base + other)[1], "the other article's new sentence")
        assert served_records(base, "xuânhòa") != []

        # a new title: the home page, the category's listing, the feed, a related list, the new address
        text = site.docs.joinpath("bai-viet/2024/bai-6.md").read_text(encoding="utf-8")
        site.write("bai-viet/2024/bai-6.md", text.replace("title: Thông báo số 6", "title: Lịch sinh hoạt tháng Sáu"))
        renamed = "bai-viet/2024/05/lich-sinh-hoat-thang-sau/"
        for where in ("", "thong-bao/", "feed.xml", "thong-bao/feed.xml", "bai-viet/2024/05/thong-bao-so-5/", renamed):
            _until(
                lambda where=where: "Lịch sinh hoạt tháng Sáu" in _get(base + where)[1], f"the new title on /{where}"
            )
        _until(lambda: _get(base + newest)[0] == 404, "the old address gone")
        assert "Câu của bài năm về Xuânhòa." in _get(base + other)[1]
        assert served_records(base, "lịch") != [], "the new title's words are not in the search index"
        assert served_records(base, "xuânhòa") != [], "the other article's body edit left the search index"
        assert not (served / newest).exists()

        # a deleted article leaves the preview: its page, and its place in the listing
        (site.docs / "bai-viet/2024/bai-3.md").unlink()
        gone = "bai-viet/2024/05/thong-bao-so-3/"
        _until(lambda: _get(base + gone)[0] == 404, "the deleted article gone")
        _until(lambda: "Thông báo số 3" not in _get(base + "thong-bao/")[1], "the deleted article out of its listing")
        assert not (served / gone).exists()
        time.sleep(2)  # the search index, made in the background, written
        shutil.copytree(served, tmp_path / "preview", ignore=shutil.ignore_patterns(".*"))

    # the portal answered the body edit and the new title itself; MkDocs built the site for the deletion
    log = server.output  # type: ignore[attr-defined]
    answers = [m.start() for m in re.finditer("Đã cập nhật docs/bai-viet/2024/bai-6.md", log)]
    assert len(answers) == 2 and log[: answers[-1]].count("Building documentation") == 1, log[-3000:]
    assert log.count("Building documentation") >= 2, log[-3000:]

    # after those edits the preview serves what a publishing build makes of the same files
    cold, _, _ = _build(site.root, tmp_path / "empty-cache")
    site_url = yaml.safe_load((site.root / "mkdocs.yml").read_text(encoding="utf-8"))["site_url"]
    assert _preview_differences(tmp_path / "preview", cold, base, site_url) == []


POLICY = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def _preview_differences(preview: Path, cold: Path, base: str, site_url: str) -> list[str]:
    """The files in which the preview's site differs from a cold build's, but for two named
    differences: `mkdocs serve` gives the site its own address instead of `site_url` (written
    as it is and, in share links, quoted), and the preview's pages carry no page policy
    (MkDocs' live reload adds a script of its own): policies are left out of the comparison."""

    def served(data: bytes) -> bytes:
        for address, configured in ((base, site_url), (quote(base, safe="/"), quote(site_url, safe="/"))):
            data = data.replace(address.encode(), configured.encode())
        return POLICY.sub(b"", data)

    names = {p.relative_to(preview).as_posix() for p in preview.rglob("*") if p.is_file()}
    names |= {p.relative_to(cold).as_posix() for p in cold.rglob("*") if p.is_file()}
    differ = []
    for name in sorted(names):
        left, right = preview / name, cold / name
        if (
            not left.is_file()
            or not right.is_file()
            or served(left.read_bytes()) != POLICY.sub(b"", right.read_bytes())
        ):
            differ.append(name)
    return differ


def _build(site_root: Path, cache: Path) -> tuple[Path, int, int]:
    """A publishing build as the workflow runs it: no site/ yet, `cache` as the restored cache.
    Returns the site, how many pages the portal had to render and how many articles to read."""
    subprocess.run(["rm", "-rf", str(site_root / "site")], check=True)
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-v"],
        cwd=site_root,
        capture_output=True,
        text=True,
        env={**build_env(), "CHIBO_CACHE_DIR": str(cache)},
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    rendered = re.search(r"portal: (\d+) pages rendered", result.stderr)
    read = re.search(r"portal: (\d+) articles read", result.stderr)
    assert rendered and read, result.stderr[-2000:]
    return site_root / "site", int(rendered.group(1)), int(read.group(1))


def _differences(left: Path, right: Path) -> list[str]:
    names = {p.relative_to(left).as_posix() for p in left.rglob("*") if p.is_file()}
    names |= {p.relative_to(right).as_posix() for p in right.rglob("*") if p.is_file()}
    return sorted(
        n
        for n in names
        if not (left / n).is_file() or not (right / n).is_file() or not filecmp.cmp(left / n, right / n, shallow=False)
    )


def test_a_warm_build_renders_only_what_changed_and_equals_a_cold_one(tmp_path: Path) -> None:
    theme = tmp_path / "overrides"
    shutil.copytree(REPO / "overrides", theme)
    site = make_site(tmp_path / "p", _articles(), configure=lambda c: c["theme"].update(custom_dir=str(theme)))
    cache = tmp_path / "cache"
    _, cold_rendered, cold_read = _build(site.root, cache)
    # the publishing workflow checks the repository out afresh: every file gets a new time
    later = time.time() + 3600
    for path in theme.rglob("*"):
        os.utime(path, (later, later))
    assert cold_rendered >= 7 and cold_read == 7  # every article (the fixture's model one too) and listing page

    site.write("bai-viet/2024/bai-2.md", _articles()["bai-viet/2024/bai-2.md"] + "\nĐoạn bổ sung.\n")
    warm, warm_rendered, warm_read = _build(site.root, cache)
    # the changed article read and its page rendered; everything else from the cache
    assert warm_rendered == 1 and warm_read == 1
    os.rename(warm, tmp_path / "warm")
    # nothing changed: nothing read, and the kept results (articles, search words) not written again
    kept = {name: (cache / name).stat().st_mtime_ns for name in ("articles.pickle", "search-words.pickle")}
    _, again_rendered, again_read = _build(site.root, cache)
    assert again_rendered == 0 and again_read == 0
    assert {name: (cache / name).stat().st_mtime_ns for name in kept} == kept

    cold, _, _ = _build(site.root, tmp_path / "empty-cache")
    assert "Đoạn bổ sung." in (cold / "bai-viet/2024/05/thong-bao-so-2/index.html").read_text(encoding="utf-8")
    assert _differences(tmp_path / "warm", cold) == []


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    """A cache cut short (a cancelled workflow, a full disk) costs a cold build, never a failed one."""
    site = make_site(tmp_path / "p", _articles())
    cache = tmp_path / "cache"
    first, _, _ = _build(site.root, cache)
    os.rename(first, tmp_path / "first")
    for name in ("pages.sqlite", "articles.pickle"):
        data = (cache / name).read_bytes()
        (cache / name).write_bytes(data[: len(data) // 3] + b"\x00garbage")
    again, rendered, read = _build(site.root, cache)
    assert rendered >= 7 and read == 7  # nothing usable in the cache: everything made again
    assert _differences(tmp_path / "first", again) == []


def test_a_saved_article_that_became_a_symlink_is_not_served(tmp_path: Path) -> None:
    """A save the portal would answer itself (same front matter, new body) is still refused when
    the file is now a symbolic link out of docs/: the preview builds and shows the refusal."""
    articles = _articles()
    site = make_site(tmp_path / "p", articles)
    secret = tmp_path / "secret.md"
    secret.write_text(articles["bai-viet/2024/bai-6.md"] + "\nMẬT-KHẨU-BÍ-MẬT\n", encoding="utf-8")
    page = "bai-viet/2024/05/thong-bao-so-6/"
    with _serving(site, tmp_path, page) as (base, server):
        source = site.docs / "bai-viet/2024/bai-6.md"
        source.unlink()
        source.symlink_to(secret)
        _until(lambda: "liên kết tượng trưng" in _get(base)[1], "the refusal on the home page")
        assert "MẬT-KHẨU-BÍ-MẬT" not in _get(base + page)[1]
    assert "Đã cập nhật docs/bai-viet/2024/bai-6.md" not in server.output  # type: ignore[attr-defined]


def test_a_save_that_publishes_another_file_goes_to_mkdocs(tmp_path: Path) -> None:
    """A new link to a photo's original makes the original a file of the site: MkDocs' files
    change, so the preview rebuilds rather than write the article alone, and the link works."""
    articles = _articles()
    site = make_site(tmp_path / "p", articles)
    site.write("bai-viet/2024/anh/goc.jpg", phone_photo(800, 600))
    page = "bai-viet/2024/05/thong-bao-so-6/"
    with _serving(site, tmp_path, page) as (base, server):
        assert _get(base + "bai-viet/2024/anh/goc.jpg")[0] == 404  # linked from nowhere yet
        site.write("bai-viet/2024/bai-6.md", articles["bai-viet/2024/bai-6.md"] + "\nXem [ảnh gốc](anh/goc.jpg).\n")
        _until(lambda: "ảnh gốc" in _get(base + page)[1], "the new link")
        with urllib.request.urlopen(base + "bai-viet/2024/anh/goc.jpg", timeout=10) as response:
            assert response.headers["Content-Type"] == "image/jpeg"
    assert "Đã cập nhật docs/bai-viet/2024/bai-6.md" not in server.output  # type: ignore[attr-defined]
