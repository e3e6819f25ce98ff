"""The web editor at /admin/ (Sveltia CMS, vendored in overrides/admin/): its page and its
configuration, made from mkdocs.yml and the content model at every build, so the editor can
never offer a category, a field or a folder that the build does not know."""

from __future__ import annotations

import html
from typing import Any

import yaml

from .addresses import ADMIN, DOCUMENTS
from .articles import ARTICLES_DIR
from .config import PortalConfig
from .model import ARTICLE_FIELDS, DOCUMENT_FIELDS, Field

ADMIN_DIR = ADMIN

# What the editor's page may load: itself, GitHub's API (sign-in with a token, commits) and
# the organisation's authenticator. The CMS's update check and the CDNs it would use for
# code highlighting are refused by the browser, so nothing else is ever asked for.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
    "img-src 'self' blob: data: https://avatars.githubusercontent.com https://*.githubusercontent.com; "
    "media-src 'self' blob:; worker-src 'self' blob:; frame-src 'none'; object-src 'none'; base-uri 'self'; "
    "connect-src 'self' blob: data: https://api.github.com https://github.com{auth}"
)


def _widget(field: Field, portal: PortalConfig) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": field.name,
        "label": field.label,
        "widget": field.widget,
        "hint": (field.hint or field.meaning).replace("`", ""),
        "required": bool(field.required),
    }
    if field.widget == "datetime" and field in DOCUMENT_FIELDS:
        # a document's dates are days, as written on it
        entry.update(format="YYYY-MM-DD", time_format=False)
    elif field.widget == "datetime":
        # Stored as the portal reads it, in Vietnamese time whatever the editor's computer says.
        entry.update(format="YYYY-MM-DD HH:mm", input_timezone="Asia/Ho_Chi_Minh", output_utc=False, default="{{now}}")
    elif field.widget == "select" and field.kind == "doctype":
        entry["options"] = list(portal.documents.types)
    elif field.widget == "select":
        entry["options"] = [c.name for c in portal.categories]
    elif field.widget == "file":
        entry.update(choose_url=False, multiple=True, required=False)
    elif field.widget == "list":
        entry["default"] = []
    elif field.widget == "boolean":
        entry.update(default=False, hint=entry["hint"].removeprefix("true: ").capitalize())
    elif field.widget == "image":
        entry["choose_url"] = False
    return entry


def editor_config(
    portal: PortalConfig, site_url: str, repo: str, pages: list[tuple[str, str]], docs_dir: str = "docs"
) -> dict[str, Any]:
    """Sveltia CMS's config.yml. `pages`: (path under docs/, title) of the other editable pages."""
    editor = portal.editor
    resize = {"format": "webp", "quality": 85, "width": editor.media_max, "height": editor.media_max}
    return {
        "backend": _backend(portal, repo),
        "publish_mode": "editorial_workflow" if editor.approval else "simple",
        "site_url": site_url,
        "display_url": site_url,
        "media_folder": f"{docs_dir}/images",
        "public_folder": "/images",
        "media_libraries": {"default": {"config": {"transformations": {"raster_image": resize}}}},
        # file names as the portal makes addresses: no diacritics, đ -> d (the portal's own rule
        # decides the article's address from its title in any case)
        "slug": {"encoding": "ascii", "clean_accents": True},
        "output": {"omit_empty_optional_fields": True},
        "collections": [
            _articles_collection(portal, docs_dir),
            _documents_collection(portal, docs_dir),
            _pages_collection(pages, docs_dir),
        ],
    }


def _backend(portal: PortalConfig, repo: str) -> dict[str, Any]:
    editor = portal.editor
    backend: dict[str, Any] = {
        "name": "github",
        "repo": editor.repo or repo or "tai-khoan/ten-kho",
        "branch": editor.branch,
    }
    if editor.auth_url:
        backend["base_url"] = editor.auth_url
    else:
        backend["auth_methods"] = ["token"]
    backend["commit_messages"] = {
        "create": "Thêm bài: {{slug}}",
        "update": "Sửa {{collection}}: {{slug}}",
        "delete": "Xoá {{collection}}: {{slug}}",
        "uploadMedia": "Thêm ảnh {{path}}",
        "deleteMedia": "Xoá ảnh {{path}}",
    }
    return backend


def _in_year_folders(docs_dir: str, folder: str) -> dict[str, Any]:
    """What articles and documents share: Markdown files with front matter in year folders of
    docs/`folder`, their files (photos, PDFs) in a folder named after the entry, beside its file
    (as chibo import does): bai-viet/2026/bai.md -> bai-viet/2026/bai/anh.webp, written "bai/anh.webp"."""
    return {
        "folder": f"{docs_dir}/{folder.rstrip('/')}",
        "path": "{{year}}/{{slug}}",
        "extension": "md",
        "format": "frontmatter",
        "create": True,
        "delete": True,
        "media_folder": "",
        "public_folder": "{{slug}}",
    }


def _articles_collection(portal: PortalConfig, docs_dir: str) -> dict[str, Any]:
    """The articles, with the content model's fields."""
    return {
        "name": "bai-viet",
        "label": "Bài viết",
        "label_singular": "bài viết",
        "description": "Tin, thông báo và bài viết của trang. Ảnh được lưu cạnh bài.",
        **_in_year_folders(docs_dir, ARTICLES_DIR),
        "summary": "{{title}}",
        "sortable_fields": {
            "fields": ["date", "title", "category"],
            "default": {"field": "date", "direction": "descending"},
        },
        "view_groups": [{"label": "Chuyên mục", "field": "category"}],
        "fields": [
            *(_widget(f, portal) for f in ARTICLE_FIELDS if f.in_editor),
            {"name": "body", "label": "Nội dung", "widget": "markdown", "hint": "Đề mục: ## ; danh sách: - "},
        ],
    }


def _documents_collection(portal: PortalConfig, docs_dir: str) -> dict[str, Any]:
    """The document library, with the content model's fields; files are stored beside the document."""
    return {
        "name": "van-ban",
        "label": "Văn bản",
        "label_singular": "văn bản",
        "description": "Thư viện văn bản: nghị quyết, chỉ thị, hướng dẫn… Tệp PDF được lưu cạnh văn bản.",
        **_in_year_folders(docs_dir, DOCUMENTS),
        "slug": "{{number}}",
        "summary": "{{number}} – {{summary}}",
        "sortable_fields": {
            "fields": ["issued", "number", "type"],
            "default": {"field": "issued", "direction": "descending"},
        },
        "view_groups": [{"label": "Loại văn bản", "field": "type"}],
        "fields": [
            *(_widget(f, portal) for f in DOCUMENT_FIELDS if f.in_editor),
            {"name": "body", "label": "Toàn văn (nếu có)", "widget": "markdown", "required": False},
        ],
    }


def _pages_collection(pages: list[tuple[str, str]], docs_dir: str) -> dict[str, Any]:
    """The ordinary pages (Giới thiệu, Liên hệ…), each a file of its own."""
    return {
        "name": "trang",
        "label": "Trang",
        "label_singular": "trang",
        "description": "Các trang cố định của cổng (Giới thiệu, Liên hệ).",
        "files": [
            {
                "name": path.removesuffix(".md").replace("/", "-"),
                "label": title,
                "file": f"{docs_dir}/{path}",
                "fields": [
                    {"name": "title", "label": "Tiêu đề", "widget": "string", "required": False},
                    {"name": "body", "label": "Nội dung", "widget": "markdown"},
                ],
            }
            for path, title in pages
        ],
    }


def editor_config_yaml(config: dict[str, Any]) -> str:
    return yaml.safe_dump(config, allow_unicode=True, sort_keys=False)


def admin_page(site_name: str, version: str, auth_url: str = "", script_integrity: str = "") -> str:
    """/admin/index.html: the CMS's script, after the step that makes its interface Vietnamese
    without asking a CDN for the strings. Never indexed, linked from no public page."""
    csp = _CSP.format(auth=f" {auth_url}" if auth_url else "")
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>Biên tập – {html.escape(site_name)}</title>
<link href="config.yml" type="application/yaml" rel="cms-config-url">
<script src="../assets/portal/cms-setup.js" data-version="{html.escape(version)}"></script>
<script src="sveltia-cms.js"{f' integrity="{script_integrity}"' if script_integrity else ""}></script>
</head>
<body></body>
</html>
"""
