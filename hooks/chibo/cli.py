"""The editors' command `chibo`: new, check, import. Run it in the site's folder."""

from __future__ import annotations

import argparse
import html
import secrets
import sys
from pathlib import Path
from typing import Any, NoReturn

import yaml

from .addresses import DOCUMENTS
from .articles import PLACEHOLDER
from .cache import atomic_write, cache_dir
from .catalog import now_in_vietnam
from .check import check_project
from .config import PortalConfig
from .counter import diagnose
from .documents import read_document
from .errors import ContentError, ContentErrors
from .fields import parse_date
from .images import ImageProblem, is_raster, needs_shrinking, shrink
from .importer import import_page, pages_in
from .joomla.command import import_joomla
from .model import DOCUMENT_FIELD, FIELDS, NEW_ARTICLE_FIELDS, NEW_DOCUMENT_FIELDS
from .options import read_options
from .project import NotAProject, Project, find_project
from .storage import read_manifest, upload
from .text import nfc, slugify

HELP = """Công cụ cho biên tập viên cổng thông tin chi bộ.

  chibo new "Tiêu đề bài viết" --category "Thông báo"   tạo bài mới
  chibo van-ban "12-HD/BTCTW" --type "Hướng dẫn" --issuer "Ban Tổ chức Trung ương" \
        --date 06/7/2018 --summary "Về …" --file 12-hd-btctw.pdf   tạo văn bản mới
  chibo check                                           kiểm tra toàn bộ nội dung
  chibo import trang-cu.html thu-muc/                   chuyển bài từ trang cũ
  chibo import --joomla joomla.sql --site-root ban-sao/ chuyển cả trang Joomla 3 cũ
  chibo counter                                         kiểm tra bộ đếm lượt truy cập
  chibo shrink                                          thu nhỏ ảnh gốc quá lớn trong docs/
  chibo upload [--dry-run]                              tải ảnh của lần xây dựng lên kho đối tượng
"""


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        return super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tuỳ chọn"

    def error(self, message: str) -> NoReturn:  # Vietnamese, and exit code 2 as argparse does
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: {message}\nXem hướng dẫn: chibo --help\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="chibo", description=HELP, add_help=False)
    parser.add_argument("-h", "--help", action="help", help="hiện hướng dẫn này")
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)
    new = commands.add_parser("new", help="tạo tệp bài viết mới", add_help=False)
    new.add_argument("-h", "--help", action="help", help="hiện hướng dẫn")
    new.add_argument("title", metavar="TIÊU_ĐỀ", help="tiêu đề bài viết, đặt trong ngoặc kép")
    new.add_argument("--category", "-c", required=True, metavar="CHUYÊN_MỤC", help="chuyên mục (như trong mkdocs.yml)")
    new.add_argument("--author", "-a", default="", metavar="TÁC_GIẢ", help='tác giả, hiện thành "Bài viết: …"')
    new.add_argument(
        "--date",
        "-d",
        default="",
        metavar="NGÀY",
        help="ngày đăng: 2023-11-30, 2023-11-30 08:30 hoặc 30/11/2023 (mặc định: bây giờ)",
    )
    doc = commands.add_parser("van-ban", help="tạo tệp văn bản mới trong thư viện văn bản", add_help=False)
    doc.add_argument("-h", "--help", action="help", help="hiện hướng dẫn")
    doc.add_argument("number", metavar="SỐ_KÝ_HIỆU", help="số/ký hiệu, ví dụ 12-HD/BTCTW")
    doc.add_argument("--type", "-t", required=True, metavar="LOẠI", help="loại văn bản, ví dụ Hướng dẫn")
    doc.add_argument("--issuer", "-i", required=True, metavar="CƠ_QUAN", help="cơ quan ban hành")
    doc.add_argument("--date", "-d", required=True, metavar="NGÀY", help="ngày ban hành: 2018-07-06 hoặc 06/7/2018")
    doc.add_argument("--summary", "-s", required=True, metavar="TRÍCH_YẾU", help="trích yếu")
    doc.add_argument("--file", "-f", default="", metavar="TỆP", help="tệp PDF đã đặt trong thư mục của văn bản")
    check = commands.add_parser("check", help="kiểm tra nội dung như khi xây dựng trang, và hơn thế", add_help=False)
    check.add_argument("-h", "--help", action="help", help="hiện hướng dẫn")
    check.add_argument(
        "--github",
        action="store_true",
        help="trong GitHub Actions: ghi thêm các vấn đề vào bản tóm tắt ($GITHUB_STEP_SUMMARY) và đánh dấu từng dòng lỗi",
    )
    _import_command(commands)
    _site_commands(commands)
    return parser


def _import_command(commands: Any) -> None:
    """`chibo import`: saved pages, or a whole Joomla 3 site."""
    imp = commands.add_parser(
        "import", help="chuyển trang đã lưu từ trang cũ (HTML hoặc văn bản) thành bài viết", add_help=False
    )
    imp.add_argument("-h", "--help", action="help", help="hiện hướng dẫn")
    imp.add_argument("paths", nargs="*", metavar="ĐƯỜNG_DẪN", help="tệp .html/.htm/.txt hoặc thư mục chứa chúng")
    imp.add_argument(
        "--joomla",
        default="",
        metavar="TỆP.sql",
        help="chuyển cả trang Joomla 3 từ tệp sao lưu cơ sở dữ liệu (.sql hoặc .sql.gz, mysqldump hoặc phpMyAdmin)",
    )
    imp.add_argument(
        "--dsn",
        default="",
        metavar="mysql://…",
        help="đọc thẳng cơ sở dữ liệu Joomla: mysql://tên:mật-khẩu@máy:3306/csdl",
    )
    imp.add_argument(
        "--category-map",
        action="append",
        default=[],
        metavar='"CŨ=MỚI"',
        help='chuyên mục cũ (tên theo đường dẫn, ví dụ "Tin tức/Hoạt động") = chuyên mục trong mkdocs.yml; '
        "lặp lại cho mỗi chuyên mục",
    )
    imp.add_argument("--pin-featured", action="store_true", help="bài nổi bật (featured) của trang cũ được ghim (pin)")
    imp.add_argument("--skip-archived", action="store_true", help="không chuyển bài đã lưu trữ (archived)")
    imp.add_argument("--date", "-d", default="", metavar="NGÀY", help="ngày đăng cho trang không ghi ngày")
    imp.add_argument(
        "--site-root",
        default=None,
        metavar="THƯ_MỤC",
        help='thư mục bản sao trang cũ, nơi tìm ảnh có đường dẫn "/images/…"',
    )


def _site_commands(commands: Any) -> None:
    """The commands about the site rather than one article: counter, shrink, upload, log."""
    counter = commands.add_parser(
        "counter",
        help="kiểm tra bộ đếm: địa chỉ máy chủ, khoá API (GOATCOUNTER_TOKEN) và số liệu sẽ hiện",
        add_help=False,
    )
    counter.add_argument("-h", "--help", action="help", help="hiện hướng dẫn")
    shrink_cmd = commands.add_parser(
        "shrink",
        help="thu nhỏ ảnh gốc (quá 3 MB, quá 2.500 điểm ảnh hoặc còn vị trí GPS) ngay tại chỗ",
        add_help=False,
    )
    shrink_cmd.add_argument("-h", "--help", action="help", help="hiện hướng dẫn")
    shrink_cmd.add_argument("paths", nargs="*", metavar="ĐƯỜNG_DẪN", help="tệp ảnh hoặc thư mục (mặc định: docs/)")
    upload_cmd = commands.add_parser(
        "upload", help="tải lên kho đối tượng các ảnh mà lần xây dựng vừa rồi cần và kho chưa có", add_help=False
    )
    upload_cmd.add_argument("-h", "--help", action="help", help="hiện hướng dẫn")
    upload_cmd.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không tải lên")
    log_cmd = commands.add_parser(
        "log",
        help="trong GitHub Actions: in nhật ký xây dựng (không dòng nào thành lệnh của máy chạy), "
        "và khi xây dựng lỗi thì ghi vào bản tóm tắt",
        add_help=False,
    )
    log_cmd.add_argument("-h", "--help", action="help", help="hiện hướng dẫn")
    log_cmd.add_argument("file", metavar="TỆP", help="tệp nhật ký, ví dụ build.log")
    log_cmd.add_argument("--failed", action="store_true", help="lần xây dựng không thành công")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command is None:
        _parser().print_help()
        return 0
    if args.command == "log":
        return show_log(Path(args.file), args.failed)
    try:
        project = find_project()
    except NotAProject as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    if args.command == "check":
        return _check(project, args.github)
    if args.command == "shrink":
        return _shrink(project, [Path(p) for p in args.paths] or [project.docs])
    try:
        portal = project.portal()
    except ContentErrors as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    if args.command == "upload":
        return _upload(project, portal, args.dry_run)
    if args.command == "counter":
        ok, lines = diagnose(portal.counter, read_options().counter_token, now_in_vietnam())
        print("\n".join(lines))
        return 0 if ok else 1
    if args.date and parse_date(args.date) is None:
        print(
            f'Lỗi: ngày "{args.date}" không đúng. Hãy viết 2023-11-30, 2023-11-30 08:30 hoặc 30/11/2023.',
            file=sys.stderr,
        )
        return 2
    if args.command == "van-ban":
        return _new_document(project, portal, args)
    return (_new if args.command == "new" else _import)(project, portal, args)


def _new_document(project: Project, portal: PortalConfig, args: argparse.Namespace) -> int:
    """docs/van-ban/<year>/<number as a slug>.md, checked as the build checks it."""
    issued, _ = parse_date(args.date)  # type: ignore[misc]  # checked in main()
    slug = slugify(nfc(args.number))
    if not slug:
        print("Lỗi: số/ký hiệu cần có chữ hoặc số, ví dụ 12-HD/BTCTW.", file=sys.stderr)
        return 2
    target = project.docs / DOCUMENTS / f"{issued:%Y}" / f"{slug}.md"
    if target.exists():
        print(f"Lỗi: đã có tệp {project.display_path(target)}; không ghi đè.", file=sys.stderr)
        return 1
    given = {
        "number": nfc(args.number).strip(),
        "type": nfc(args.type).strip(),
        "issuer": nfc(args.issuer).strip(),
        "issued": f"{issued:%Y-%m-%d}",
        "summary": nfc(args.summary).strip(),
        "file": nfc(args.file).strip() or DOCUMENT_FIELD["file"].default,
    }
    meta = {name: given.get(name, DOCUMENT_FIELD[name].default) for name in NEW_DOCUMENT_FIELDS}
    text = f"---\n{yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)}---\n"
    src = target.relative_to(project.docs).as_posix()
    result = read_document(src, text.encode("utf-8"), portal, project.display_path(project.docs))
    if isinstance(result, list):
        print(ContentErrors(result).report(), file=sys.stderr)
        return 1
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as f:
        f.write(text)
    print(project.display_path(target))
    return 0


def _new(project: Project, portal: PortalConfig, args: argparse.Namespace) -> int:
    title = nfc(args.title).strip()
    slug = slugify(title)
    if not slug:
        print("Lỗi: tiêu đề cần có chữ hoặc số.", file=sys.stderr)
        return 2
    category = portal.find_category(args.category)
    if category is None:
        print(
            f'Lỗi: chuyên mục "{args.category}" không có. Hãy dùng một trong: {portal.category_names}', file=sys.stderr
        )
        return 2
    if args.date:  # checked in main()
        moment, has_time = parse_date(args.date)  # type: ignore[misc]
    else:
        moment, has_time = now_in_vietnam().replace(second=0, microsecond=0), True
    target = project.articles / f"{moment:%Y}" / f"{slug}.md"
    if target.exists():
        print(
            f"Lỗi: đã có tệp {project.display_path(target)}; không ghi đè. Hãy sửa tệp đó hoặc đổi tiêu đề.",
            file=sys.stderr,
        )
        return 1
    given = {
        "title": title,
        "date": f"{moment:%Y-%m-%d %H:%M}" if has_time else f"{moment:%Y-%m-%d}",
        "category": category.name,
        "author": nfc(args.author).strip(),
    }
    meta = {name: given.get(name, FIELDS[name].default) for name in NEW_ARTICLE_FIELDS}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as f:
        f.write(
            f'---\n{front}---\n\n{PLACEHOLDER} Đề mục: dòng bắt đầu bằng "## "; danh sách: dòng bắt đầu bằng "- ".\n'
        )
    print(project.display_path(target))
    return 0


def _check(project: Project, github: bool = False) -> int:
    report = check_project(project)
    problems = report.problems
    # In GitHub Actions a printed line that starts with "::" is a command to the runner: the
    # messages hold the editors' text, so the runner reads none of it as one.
    pause = secrets.token_hex(16) if github else ""
    if pause:
        print(f"::stop-commands::{pause}")
    for problem in problems:
        print(problem)
    for warning in report.warnings:
        print(warning)
    if pause:
        print(f"::{pause}::")
        _report_to_github(problems)
    if problems:
        print(f"\nCó {len(problems)} vấn đề cần sửa.", file=sys.stderr)
        return 1
    print("Không có lỗi.", file=sys.stderr)
    return 0


def workflow_value(text: str, property_value: bool = False) -> str:
    """Text inside a workflow command (`::error file=…::message`), escaped as the runner reads it."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_value else text


def summary_block(text: str) -> str:
    """Text for the job's summary shown as it is: in <pre>, where Markdown is not read, escaped."""
    return f"<pre>{html.escape(text)}</pre>"


def show_log(path: Path, failed: bool) -> int:
    """A build's log in a workflow: printed with the runner's commands paused (the log quotes the
    editors' text), and when the build failed, its warnings and errors in the job's summary."""
    text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    pause = secrets.token_hex(16)
    print(f"::stop-commands::{pause}")
    print(text, end="" if text.endswith("\n") or not text else "\n")
    print(f"::{pause}::")
    summary = read_options().step_summary
    if failed and summary:
        shown = "\n".join(line for line in text.splitlines() if not line.startswith("INFO"))
        with open(summary, "a", encoding="utf-8") as f:
            f.write("## Trang chưa được xuất bản: xây dựng trang không thành công\n\n" + summary_block(shown) + "\n\n")
    return 1 if failed else 0


def _report_to_github(problems: list[ContentError]) -> None:
    """Each problem as an annotation (shown on the run's page and beside the file) and in the
    job's summary, in Vietnamese, before anything else the job writes there."""
    for problem in problems:
        print(
            f"::error file={workflow_value(problem.path, True)},line={problem.line},title=Lỗi nội dung::"
            f"{workflow_value(problem.message)}"
        )
    summary = read_options().step_summary
    if not summary:
        return
    if problems:
        lines = [f"## Trang chưa được xuất bản: có {len(problems)} vấn đề trong nội dung", ""]
        lines.append(summary_block("\n".join(str(problem) for problem in problems)))
        lines += ["", "Sửa các tệp trên rồi lưu lại (commit): trang sẽ tự xây dựng và xuất bản lại."]
    else:
        lines = ["## Kiểm tra nội dung: không có lỗi"]
    with open(summary, "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n\n")


def _shrink(project: Project, paths: list[Path]) -> int:
    """Shrink originals in place: upright, at most 2,000 px a side, no metadata. A file is
    replaced only once its smaller copy is written whole."""
    files = [p for path in paths for p in ([path] if path.is_file() else sorted(path.rglob("*"))) if is_raster(p.name)]
    changed = failed = 0
    for file in files:
        why = needs_shrinking(file)
        if not why:
            continue
        before = file.stat().st_size
        try:
            smaller = shrink(file.read_bytes())
        except (ImageProblem, OSError) as exc:
            print(f"{project.display_path(file)}: bỏ qua, {exc}", file=sys.stderr)
            failed += 1
            continue
        atomic_write(file, smaller)
        changed += 1
        print(f"{project.display_path(file)}: {before / 1e6:.1f} MB → {len(smaller) / 1e6:.2f} MB ({why})")
    print(f"Đã thu nhỏ {changed} ảnh." if changed else "Không có ảnh nào cần thu nhỏ.", file=sys.stderr)
    return 1 if failed else 0


def _upload(project: Project, portal: PortalConfig, dry_run: bool) -> int:
    """Send the photos of the last build to the object storage; 1 (publishing stops) on any problem."""
    if portal.storage is None:
        print("Không dùng kho đối tượng (extra.portal.images.storage): ảnh nằm trong trang, không có gì để tải lên.")
        return 0
    try:
        files = read_manifest(cache_dir(project.root))
    except (OSError, ValueError):
        print("Lỗi: chưa có danh sách ảnh: hãy chạy mkdocs build trước chibo upload.", file=sys.stderr)
        return 1
    result = upload(portal.storage, files, dry_run)
    if result.problem:
        print(f"Lỗi: {result.problem}", file=sys.stderr)
        return 1
    for key in result.missing:
        print(f"{'sẽ tải lên' if dry_run else 'đã tải lên'}: {key}")
    verb = "Sẽ tải lên" if dry_run else "Đã tải lên"
    print(f"{verb} {len(result.missing)} tệp; {len(files) - len(result.missing)} tệp kho đã có.", file=sys.stderr)
    return 0


def _import(project: Project, portal: PortalConfig, args: argparse.Namespace) -> int:
    if args.joomla or args.dsn:
        return import_joomla(project, portal, args)
    if not args.paths:
        print("Lỗi: hãy ghi tệp trang đã lưu, hoặc --joomla TỆP.sql, hoặc --dsn mysql://…", file=sys.stderr)
        return 2
    failed = 0
    for page in pages_in([Path(p) for p in args.paths]):
        outcome = import_page(
            page, project.articles, portal, args.date, Path(args.site_root) if args.site_root else None
        )
        if outcome.written is None:
            failed += 1
            print(f"{page}: bỏ qua — {outcome.skipped}", file=sys.stderr)
            continue
        print(project.display_path(outcome.written))
        for problem in outcome.problems:
            print(f"{page}: {problem}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
