"""Quality gates on a built site: valid HTML (Nu HTML Checker), accessibility (axe-core,
WCAG 2.1 A and AA) in Chromium, first-party requests only, and internal links that resolve.
The checkers come from the npm registry (`npm ci`, see package.json) and run on the
machine's Java; `.ci/run` installs both."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from support import AXE, MODEL_URL, REPO, VNU, Site, article, document, make_site, phone_photo, served, text_pdf

PAGES = [
    "",
    MODEL_URL,
    "tin-hoat-dong/",
    "thong-bao/",
    "thong-bao/trang/2/",
    "tim-kiem/",
    "gioi-thieu/",
    "luu-tru/",
    "luu-tru/2024/",
    "the/",
    "tac-gia/van-chau/",
    "bai-viet/2024/03/hoi-nghi-co-anh/",  # featured photo, a captioned figure, a gallery
    "van-ban/",  # the document library's registry
    "van-ban/2018/12-hd-btctw/",  # a document with a PDF and its first page
]


def _configure(config: dict) -> None:
    portal = config["extra"]["portal"]
    portal["links"] = [{"title": "Báo Điện tử Đảng Cộng sản Việt Nam", "url": "https://dangcongsan.vn"}]
    portal["buttons"] = {"zalo": "0905123456", "hotline": "02362 214.668"}
    portal["counter"] = {"url": "http://127.0.0.1:9", "offset": 6835657, "allow_local": True}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Site:
    files = {
        f"bai-viet/tb/{i}.md": article(
            f"Thông báo số {i} về công tác Đảng",
            f"2024-02-{i + 1:02d}",
            "Thông báo",
            author="Văn Châu",
            tags=["Đảng phí"],
        )
        for i in range(12)
    }
    files["bai-viet/2024/anh.md"] = article(
        "Hội nghị có ảnh",
        "2024-03-05",
        "Tin hoạt động",
        image="anh/0.jpg",
        image_caption="Toàn cảnh hội nghị",
        body='Hội nghị diễn ra sáng nay.\n\n![Phát biểu](anh/1.jpg "Phát biểu")\n\n![Biểu quyết](anh/2.jpg)\n![Lưu niệm](anh/3.jpg)',
    )
    files.update({f"bai-viet/2024/anh/{n}.jpg": phone_photo(1200, 900) for n in range(4)})
    files["van-ban/2018/12-hd-btctw.md"] = document(
        "12-HD/BTCTW", "Hướng dẫn", "Ban Tổ chức Trung ương", "2018-07-06", "Về sinh hoạt chi bộ", file="hd.pdf"
    )
    files["van-ban/2018/hd.pdf"] = text_pdf("Hướng dẫn về sinh hoạt chi bộ.")
    built = make_site(tmp_path_factory.mktemp("quality"), files, configure=_configure)
    built.build()
    return built


@pytest.fixture(scope="module")
def base(site: Site) -> Iterator[str]:
    with served(site.out) as base:
        yield base


def test_html_is_valid(site: Site, checkers: None) -> None:
    java = shutil.which("java")
    assert java
    files = [str(site.out / p / "index.html") for p in PAGES]
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []


@pytest.mark.parametrize("path", [*PAGES[:7], *PAGES[-2:]])
def test_no_accessibility_violations(browser, base: str, path: str) -> None:
    assert AXE.exists(), "axe-core comes from `npm ci` (see .ci/run)"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(base + path)
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    context.close()
    assert violations == []


def test_phone_layout_is_accessible_too(browser, base: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(base + MODEL_URL)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    context.close()
    assert [v["id"] for v in result["violations"]] == []


def test_font_size_controls_work_with_the_keyboard(browser, base: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + MODEL_URL)

    def size() -> float:
        return page.evaluate("parseFloat(getComputedStyle(document.querySelector('.portal-article__body p')).fontSize)")

    normal = size()
    page.get_by_role("button", name="A+ (tăng cỡ chữ)").focus()
    page.keyboard.press("Enter")
    bigger = size()
    assert bigger > normal
    page.keyboard.press("Shift+Tab")  # to "A"
    page.keyboard.press("Shift+Tab")  # to "A-"
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "A- (giảm cỡ chữ)"
    page.keyboard.press("Enter")
    page.keyboard.press("Space")
    assert size() < normal
    # the choice holds on the next page, without a cookie
    page.goto(base + "gioi-thieu/")
    assert (
        page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--portal-font-scale')").strip()
        == "0.85"
    )
    assert context.cookies() == []
    context.close()


@pytest.mark.parametrize("path", ["", MODEL_URL, "thong-bao/", "tim-kiem/?q=dang+phi"])
def test_first_party_only(browser, base: str, path: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(base + path)
    page.wait_for_load_state("networkidle")
    context.close()
    counter = "http://127.0.0.1:9/"  # the configured counter server is the one other host allowed
    others = [u for u in requests if not u.startswith(base) and not u.startswith(counter)]
    assert others == []


def test_every_internal_link_resolves(site: Site) -> None:
    broken = []
    for file in site.out.rglob("*.html"):
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select("[href], [src]"):
            for attr in ("href", "src"):
                value = tag.get(attr)
                if not value:
                    continue
                parts = urlsplit(value)
                if parts.scheme or parts.netloc or value.startswith(("#", "mailto:", "tel:", "data:", "javascript:")):
                    continue
                path = unquote(parts.path)
                # root-relative links (the 404 page's) are read against the site root: site_url is a domain root
                folder = site.out if path.startswith("/") else file.parent
                target = (folder / path.lstrip("/")).resolve() if path else file
                if target.is_dir():
                    target = target / "index.html"
                if not target.exists():
                    broken.append(f"{file.relative_to(site.out)}: {attr}={value}")
    assert broken == []


WORKFLOWS = sorted((REPO / ".github/workflows").glob("*.yml"))


def _steps(workflow: dict) -> list[dict]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_are_pinned_and_least_privilege(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert workflow["permissions"] == {"contents": "read"}
    for step in _steps(workflow):
        if "uses" in step:
            assert re.fullmatch(r"[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
        # expressions go through env:, never straight into a shell
        assert "${{" not in step.get("run", ""), step
        if "pip install" in step.get("run", ""):
            assert "--require-hashes -r requirements/" in step["run"] and "--no-deps -e ." in step["run"]


def test_publishing_checks_content_and_never_waits_for_the_test_suite() -> None:
    publish = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    runs = [step.get("run", "") for step in _steps(publish)]
    assert not [run for run in runs if "pytest" in run or "npm" in run]
    check = next(i for i, run in enumerate(runs) if "chibo check --github" in run)
    build = next(i for i, run in enumerate(runs) if "mkdocs build --strict" in run)
    assert check < build
    # photos on object storage are uploaded after the build and before anything is deployed
    upload = next(i for i, run in enumerate(runs) if run.strip() == "chibo upload")
    assert build < upload < len(runs) and "upload-pages-artifact" in str(_steps(publish)[upload + 2 :])
    on = publish[True]  # YAML 1.1 reads the key "on" as True
    assert on["push"]["branches"] == ["main"] and "workflow_dispatch" in on
    crons = [entry["cron"] for entry in on["schedule"]]
    assert "7 * * * *" in crons
    # the monthly run re-enables the workflow (GitHub's 60-day rule), with that one permission
    keepalive = publish["jobs"]["keepalive"]
    assert keepalive["permissions"] == {"actions": "write"}
    assert any(cron in keepalive["if"] for cron in crons if cron != "7 * * * *")
    assert "actions/workflows/publish.yml/enable" in keepalive["steps"][0]["run"]
    assert publish["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert "secrets.GOATCOUNTER_TOKEN" in str(publish)


def test_tests_run_on_software_changes_and_pull_requests_only() -> None:
    tests = yaml.safe_load((REPO / ".github/workflows/test.yml").read_text(encoding="utf-8"))
    on = tests[True]
    for event in ("push", "pull_request"):
        paths = on[event]["paths"]
        assert {"hooks/**", "overrides/**", "tests/**", "pyproject.toml", "requirements/**"} <= set(paths)
        assert {"package.json", "package-lock.json", ".github/**"} <= set(paths)
        assert not [p for p in paths if p.startswith(("docs", "mkdocs"))]
    assert any(step.get("run", "") == "bash .ci/run" for step in _steps(tests))  # the README's command
    content = yaml.safe_load((REPO / ".github/workflows/check.yml").read_text(encoding="utf-8"))
    assert set(content[True]["pull_request"]["paths"]) == {"docs/**", "mkdocs.yml"}
    assert not [step for step in _steps(content) if "pytest" in step.get("run", "")]
    dependabot = yaml.safe_load((REPO / ".github/dependabot.yml").read_text(encoding="utf-8"))
    assert {u["package-ecosystem"] for u in dependabot["updates"]} == {"pip", "npm", "github-actions"}


def test_lock_files_pin_every_package_with_hashes() -> None:
    """What publishing and the tests install is exact: every requirement pinned with ==, with hashes."""
    for name in ("publish.txt", "test.txt"):
        text = (REPO / "requirements" / name).read_text(encoding="utf-8")
        entries = re.split(r"\n(?=[a-z0-9])", text.strip())
        requirements = [e for e in entries if not e.startswith("#")]
        assert len(requirements) > 20
        for entry in requirements:
            assert re.match(r"[a-z0-9._-]+==[\w.]+", entry) and "--hash=sha256:" in entry, entry
    test_lock = (REPO / "requirements/test.txt").read_text(encoding="utf-8")
    for tool in ("ruff", "zizmor", "playwright", "check-jsonschema"):
        assert re.search(rf"^{tool}==", test_lock, re.MULTILINE), tool


@pytest.mark.parametrize(
    "command",
    [
        ["zizmor", "--offline", "--no-progress", ".github/"],
        [
            "check-jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            *[f".github/workflows/{p.name}" for p in WORKFLOWS],
        ],
        ["check-jsonschema", "--builtin-schema", "vendor.dependabot", ".github/dependabot.yml"],
    ],
)
def test_workflow_checkers(command: list[str]) -> None:
    tool = shutil.which(command[0])
    assert tool, f"{command[0]} is installed by the test extra"
    result = subprocess.run([tool, *command[1:]], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_publishing_cache_key_follows_what_the_cache_holds() -> None:
    """The kept parts, photos and read results depend on the content, the settings, the code
    and the locked packages: the key is their hash (a new key only when one of them changed),
    the newest cache is the fallback, and an exact hit is not saved again."""
    publish = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text(encoding="utf-8"))
    steps = {step.get("name", ""): step for step in _steps(publish)}
    restore, save = steps["Lấy bộ nhớ đệm của lần trước"], steps["Lưu bộ nhớ đệm"]
    key = restore["with"]["key"]
    assert "run_id" not in key and "run_number" not in key and key.startswith("chibo-cache-${{ hashFiles(")
    for part in ("'mkdocs.yml'", "'docs/**'", "'hooks/**'", "'overrides/**'", "'requirements/publish.txt'"):
        assert part in key, part
    assert restore["with"]["restore-keys"] == "chibo-cache-"
    assert save["with"]["key"] == "${{ steps.cache.outputs.cache-primary-key }}" and restore["id"] == "cache"
    assert save["if"] == "steps.cache.outputs.cache-hit != 'true'"
    # the readers' figures change every hour whatever the content: kept on their own, a few kB
    audience = steps["Lấy số liệu người đọc của lần trước"]["with"]
    assert audience["path"].split() == [".cache/chibo/counter.json", ".cache/chibo/ratings.json",
                                        ".cache/chibo/most-read.json"]  # fmt: skip
    assert steps["Lưu số liệu người đọc"]["with"]["path"] == audience["path"]
    names = list(steps)
    assert names.index("Lấy bộ nhớ đệm của lần trước") < names.index("Lấy số liệu người đọc của lần trước")
