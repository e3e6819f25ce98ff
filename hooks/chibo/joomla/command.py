"""`chibo import --joomla DUMP.sql` / `--dsn mysql://…`: read, move, and say what happened.

The report goes to the terminal: what was written, what was kept as the editors have it,
every article left behind with its id and title, the categories that need a line in
mkdocs.yml, photos not found, and the counter's figure to carry over.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from ..config import PortalConfig
from ..options import read_options
from ..project import Project
from ..text import format_number
from .database import DatabaseError, read_database
from .dump import DumpError, read_dump
from .migrate import Options, Report, migrate, unmapped_lines
from .routes import url_forms
from .schema import JoomlaSite, NotJoomla, make_site, wanted

SHOWN = 20  # lines of a list shown before "… and N more"


def progress_bar(label: str, out: TextIO = sys.stderr) -> Callable[[int, int], None]:
    """A progress bar on a terminal (redrawn at most ten times a second), a line per tenth elsewhere."""
    state = {"drawn": 0.0, "tenth": -1}
    tty = out.isatty()

    def show(done: int, total: int) -> None:
        share = done / total if total else 1.0
        if tty:
            now = time.monotonic()
            if now - state["drawn"] < 0.1 and done < total:
                return
            state["drawn"] = now
            bar = "#" * int(share * 30)
            out.write(f"\r{label}: [{bar:<30}] {share:4.0%}")
            if done >= total:
                out.write("\n")
        elif int(share * 10) > state["tenth"]:
            state["tenth"] = int(share * 10)
            out.write(f"{label}: {share:.0%}\n")
        out.flush()

    return show


def _options(args: argparse.Namespace) -> tuple[Options | None, str]:
    named = {}
    for item in args.category_map:
        old, sep, new = item.partition("=")
        if not sep or not old.strip() or not new.strip():
            return (
                None,
                f'--category-map "{item}": hãy viết "Chuyên mục cũ=Chuyên mục mới", ví dụ "Tin tức/Hoạt động=Tin hoạt động"',
            )
        named[old.strip()] = new.strip()
    root = Path(args.site_root).resolve() if args.site_root else None
    if root is not None and not root.is_dir():
        return None, f"--site-root {root}: không có thư mục này"
    options = Options(named, root, args.pin_featured, args.skip_archived)
    settings = root / "configuration.php" if root is not None else None
    if settings is not None and settings.is_file():  # only three switches are read, never the passwords
        found = url_forms(settings.read_text(encoding="utf-8", errors="replace"))
        if found is not None:
            options = replace(options, sef=found[0], forms=found[1])
    return options, ""


def read_site(args: argparse.Namespace) -> JoomlaSite:
    if args.dsn:
        tables = read_database(args.dsn, wanted, progress_bar("Đọc cơ sở dữ liệu"))
    else:
        path = Path(args.joomla)
        if not path.is_file():
            raise NotJoomla(f"không có tệp {path}")
        tables = read_dump(path, wanted, progress_bar(f"Đọc {path.name}"))
    return make_site(tables)


def import_joomla(project: Project, portal: PortalConfig, args: argparse.Namespace) -> int:
    options, problem = _options(args)
    if options is None:
        print(f"Lỗi: {problem}", file=sys.stderr)
        return 2
    try:
        site = read_site(args)
    except (DumpError, DatabaseError, NotJoomla) as exc:
        where = args.dsn or args.joomla
        print(f"Lỗi: {where}: {exc}", file=sys.stderr)
        return 1
    workers = read_options().workers or min(os.cpu_count() or 1, 4)
    report = migrate(site, project.docs, portal, options, progress_bar("Chuyển bài"), workers)
    print_report(site, report, project, options)
    return 0


def _listed(lines: list[str]) -> list[str]:
    shown = lines[:SHOWN]
    return shown + ([f"    … và {len(lines) - SHOWN} dòng nữa"] if len(lines) > SHOWN else [])


def print_report(
    site: JoomlaSite, report: Report, project: Project, options: Options, out: TextIO = sys.stdout
) -> None:
    lines = [
        f"Trang cũ (bảng {site.prefix}…): {len(site.articles)} bài, {len(site.categories)} chuyên mục.",
        f"Đã ghi {len(report.written)} bài mới, {report.photos} ảnh và tệp đính kèm.",
    ]
    if report.positions:
        lines.append(f"Đã xoá vị trí GPS khỏi {report.positions} ảnh chụp bằng điện thoại (ảnh giữ nguyên như cũ).")
    if report.kept:
        lines.append(f"Giữ nguyên {len(report.kept)} bài đã có (không ghi đè):")
        lines += _listed([f"    docs/{file}" for file in report.kept])
    for reason, articles in sorted(report.skipped.items()):
        lines.append(f"Không chuyển {len(articles)} bài {reason}:")
        lines += _listed([f"    {aid}: {title}" for aid, title in articles])
    if report.unmapped:
        lines.append("Chuyên mục chưa có chỗ trên trang mới (chạy lại lệnh sau khi thêm):")
        lines += unmapped_lines(site, report)
    if report.missing:
        lines.append(f"Không tìm thấy {len(report.missing)} ảnh/tệp trong bản sao trang cũ (--site-root):")
        lines += _listed([f"    docs/{file}: {path}" for file, path in report.missing])
    if report.warnings:
        lines.append("Cần xem lại:")
        lines += _listed([f"    {w}" for w in report.warnings])
    forms = ", ".join(options.forms.files("…")).replace("/index.html", "/")
    kind = forms if options.sef else "chỉ dạng index.php?option=com_content…"
    lines.append(f"Địa chỉ cũ được chuyển tiếp: {format_number(report.addresses)} (docs/dia-chi-cu.json; dạng {kind}).")
    if site.visits is not None:
        day = site.visits_date.date().isoformat() if site.visits_date else "YYYY-MM-DD"
        lines += [
            f"Bộ đếm của trang cũ: {format_number(site.visits)} lượt. Thêm vào mkdocs.yml (extra: portal: counter:):",
            f"      offset: {site.visits}",
            f"      offset_date: {day}",
        ]
    out.write("\n".join(lines) + "\n")
