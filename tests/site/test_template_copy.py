"""A chi bộ adopts the template: copies the repository, makes the content its own, and
publishes. The software's tests and the publishing build must not care what it wrote."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from support import FIXTURE, REPO, article, build_env

SOFTWARE = ["hooks", "overrides", "tests", "bench", "requirements", ".github", ".ci", "pyproject.toml", "package.json"]
# Set inside the copy, so that this test does not run itself again there.
NESTED = "CHIBO_TEMPLATE_COPY"


def _copy_of_the_repository(root: Path) -> Path:
    """The software as it is, with the template's content as shipped (the fixture site)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", ".pytest_cache", ".ruff_cache")
    for name in SOFTWARE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=ignore)
        else:
            shutil.copy2(source, root / name)
    shutil.copy2(FIXTURE / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(FIXTURE / "docs", root / "docs")
    return root


def _make_it_ours(root: Path) -> None:
    """What a new chi bộ does: rename, add and remove categories, change the whole identity
    block and the site's name, delete every sample article, write 100 articles of its own."""
    config_file = root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["site_name"] = "Chi bộ Trường Tiểu học Hoà Bình"
    config["site_url"] = "https://thhoabinh.edu.vn/"
    portal = config["extra"]["portal"]
    portal["categories"] = [
        {"name": "Tin hoạt động"},
        {"name": "Thông báo"},
        {"name": "Học tập và làm theo Bác"},  # was "Văn bản"
        {"name": "Thi đua khen thưởng"},  # new; "Xây dựng Đảng" is gone
    ]
    portal["contact"] = {
        "organisation": "Trường Tiểu học Hoà Bình",
        "governing_body": "Phòng Giáo dục và Đào tạo huyện Hoà Vang",
        "address": "Thôn 1, xã Hoà Bình",
        "phone": "0236 3 111 222",
        "email": "thhoabinh@example.edu.vn",
        "website": "thhoabinh.edu.vn",
        "licence": "",
        "responsible": "Trần Thị Bình",
    }
    portal["links"] = [{"title": "Cổng thông tin huyện", "url": "https://example.gov.vn"}]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.rmtree(root / "docs/bai-viet")
    categories = [c["name"] for c in portal["categories"]]
    for i in range(100):
        path = root / f"docs/bai-viet/2025/bai-{i:03d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        text = article(f"Hoạt động số {i} của chi bộ", f"2025-{i % 12 + 1:02d}-{i % 27 + 1:02d}", categories[i % 4])
        path.write_text(text, encoding="utf-8")


def _run(root: Path, *command: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *command],
        cwd=root,
        capture_output=True,
        text=True,
        env={**build_env(), **(env or {})},
        timeout=900,
    )


def test_a_customised_copy_publishes_and_keeps_its_tests_green(tmp_path: Path) -> None:
    if os.environ.get(NESTED):
        return  # this is the copy's own run of the suite
    root = _copy_of_the_repository(tmp_path / "chi-bo-moi")
    _make_it_ours(root)

    # the publishing workflow's steps: chibo check, then mkdocs build --strict
    check = _run(root, "chibo.cli", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    build = _run(root, "mkdocs", "build", "--strict")
    assert build.returncode == 0, build.stderr
    site = root / "site"
    page = BeautifulSoup((site / "hoc-tap-va-lam-theo-bac/index.html").read_text(encoding="utf-8"), "html.parser")
    assert len(page.select(".portal-card")) == 10  # 25 articles, 10 a page
    assert not (site / "van-ban").exists() and not (site / "xay-dung-dang").exists()
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    identity = home.select_one("address.portal-identity").get_text(" ", strip=True)
    assert "Trường Tiểu học Hoà Bình" in identity and "Trần Thị Bình" in identity
    assert "Trung tâm Công tác xã hội" not in identity
    assert len(list((site / "bai-viet/2025").glob("*/*/index.html"))) == 100

    # the copy's own test suite does not read the content it was given: it collects, and
    # its content-independent parts pass there (the whole suite is this run's own)
    collected = _run(root, "pytest", "--collect-only", "-q", "-p", "no:cacheprovider")
    assert collected.returncode == 0, collected.stdout[-3000:]
    tests = _run(
        root,
        "pytest",
        "-q",
        "-x",
        "-p",
        "no:cacheprovider",
        "tests/unit/test_units.py",
        "tests/site/test_cli.py",
        "tests/site/test_template_copy.py",
        env={NESTED: "1"},
    )
    assert tests.returncode == 0, tests.stdout[-3000:]
