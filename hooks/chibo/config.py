"""Typed, validated view of `extra.portal` in mkdocs.yml, checked once per build."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from typing import Any

from .addresses import DOCUMENTS, DOCUMENTS_ARTICLES, RESERVED_SLUGS
from .counter import CounterConfig, load_counter_config
from .errors import ContentError, ContentErrors
from .images import ORIGINAL_MAX
from .text import fold, nfc, slugify

CONFIG_FILE = "mkdocs.yml"


@dataclass(frozen=True)
class Category:
    name: str
    slug: str
    description: str = ""

    @property
    def url(self) -> str:
        # the library's slug ("Văn bản" in the menu): the menu leads to the library, the
        # category's articles are listed beside it
        return DOCUMENTS_ARTICLES if f"{self.slug}/" == DOCUMENTS else f"{self.slug}/"

    @property
    def is_library(self) -> bool:
        return f"{self.slug}/" == DOCUMENTS


@dataclass(frozen=True)
class Contact:
    """The identity block required on the home page (Circular 09/2014/TT-BTTTT)."""

    organisation: str
    address: str
    phone: str
    email: str
    responsible: str
    governing_body: str = ""
    website: str = ""
    licence: str = ""

    @property
    def phone_href(self) -> str:
        digits = "".join(c for c in self.phone if c.isdigit() or c == "+")
        return f"tel:{digits}"


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    image: str = ""  # a banner image under docs/, shown instead of the title (which becomes its alt)


@dataclass(frozen=True)
class ContactButton:
    """A floating contact button: a plain link, no SDK."""

    kind: str  # zalo, messenger, facebook, hotline
    label: str
    href: str


BUTTONS = {
    "zalo": ("Nhắn tin Zalo", "https://zalo.me/{}"),
    "messenger": ("Nhắn tin Messenger", "https://m.me/{}"),
    "facebook": ("Trang Facebook", "{}"),
    "hotline": ("Gọi đường dây nóng", "tel:{}"),
}


@dataclass(frozen=True)
class Banner:
    """The header's banner (`extra.portal.banner`): the organisation's logo and name."""

    logo: str = ""  # path under docs/ (a square image); empty: the portal's own emblem
    lines: tuple[str, ...] = ()  # the name on one or two lines; empty: site_name
    motto: str = ""
    short_name: str = ""  # what phones show beside the logo; empty: the last line


@dataclass(frozen=True)
class Storage:
    """Object storage for photos (`extra.portal.images.storage`), S3-compatible."""

    endpoint: str  # https://<account>.r2.cloudflarestorage.com, https://s3.<region>.amazonaws.com, …
    bucket: str
    public_url: str  # where readers fetch the files, e.g. https://anh.ctxhdanang.vn (a CDN in front)
    region: str = "auto"


@dataclass(frozen=True)
class EditorConfig:
    """The web editor at /admin/ (`extra.portal.editor`)."""

    repo: str = ""  # owner/name on GitHub; empty: the repository that publishes (GITHUB_REPOSITORY)
    branch: str = "main"
    approval: bool = True  # editors' articles become pull requests that a maintainer publishes
    auth_url: str = ""  # the organisation's OAuth authenticator; empty: sign-in with a token only
    # photos are resized on upload to at most this many pixels a side (the portal's, not a setting)
    media_max: int = field(default=ORIGINAL_MAX, metadata={"setting": False})


# Party types (Quy định 399-QĐ/TW) and state types (Luật Ban hành văn bản quy phạm pháp luật)
DOCUMENT_TYPES = (
    "Nghị quyết", "Quyết định", "Chỉ thị", "Kết luận", "Quy chế", "Quy định", "Thông tri", "Hướng dẫn",
    "Thông báo", "Báo cáo", "Kế hoạch", "Chương trình", "Đề án", "Tờ trình", "Công văn",
    "Luật", "Nghị định", "Thông tư", "Công điện",
)  # fmt: skip


@dataclass(frozen=True)
class DocumentsConfig:
    """`extra.portal.documents`: the document library's settings, each default declared here once."""

    types: tuple[str, ...] = DOCUMENT_TYPES  # each a type's name as readers see it
    link_mentions: bool = True  # a document's number in an article body becomes a link to it
    per_page: int = 20  # rows of the registry's pages

    def find_type(self, value: str) -> str | None:
        """The declared type a value names (any case, with or without diacritics)."""
        wanted = fold(value)
        return next((t for t in self.types if fold(t) == wanted), None)


@dataclass(frozen=True)
class OldSiteConfig:
    """`extra.portal.old_site`: what the site shows of the site it replaced (`chibo import --joomla`)."""

    show_hits: bool = False  # each article shows its views on the old site (`hits:`) under its date


PER_PAGE = 10  # articles on a page of a listing


@dataclass(frozen=True)
class PortalConfig:
    categories: tuple[Category, ...]
    contact: Contact
    links: tuple[Link, ...] = ()
    per_page: int = PER_PAGE
    notices_category: str = "thong-bao"
    counter: CounterConfig | None = None
    buttons: tuple[ContactButton, ...] = ()
    editor: EditorConfig = EditorConfig()
    banner: Banner = Banner()
    storage: Storage | None = None
    verbatim_files: tuple[str, ...] = ()  # files of docs/ published as they are although a browser runs them
    documents: DocumentsConfig = DocumentsConfig()
    old_site: OldSiteConfig = OldSiteConfig()
    _lookup: dict[str, Category] = field(default_factory=dict, compare=False, repr=False)

    def find_category(self, value: str) -> Category | None:
        """A category by name (with or without diacritics, any case) or slug."""
        return _find(self._lookup, value)

    @property
    def category_names(self) -> str:
        return ", ".join(f'"{c.name}"' for c in self.categories)

    @property
    def cache_key(self) -> tuple[str, ...]:
        return (*(f"{c.name}\0{c.slug}" for c in self.categories), "\0".join(self.documents.types))


# field name -> what it is, in the editors' words
REQUIRED_CONTACT = {
    "organisation": "tên cơ quan, đơn vị chủ quản trang",
    "address": "địa chỉ",
    "phone": "số điện thoại",
    "email": "thư điện tử",
    "responsible": "người chịu trách nhiệm nội dung",
}
OPTIONAL_CONTACT = ("governing_body", "website", "licence")


def _find(lookup: dict[str, Category], value: str) -> Category | None:
    return lookup.get(fold(nfc(value)).strip()) or lookup.get(value.strip())


def _problem(key: str, message: str) -> ContentError:
    return ContentError(CONFIG_FILE, 1, f"extra.portal.{key}: {message}")


def _text(value: Any) -> str:
    return nfc(str(value)).strip() if value is not None else ""


def _categories(raw: Any, problems: list[ContentError]) -> tuple[Category, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(
            _problem("categories", "cần danh sách chuyên mục, ví dụ:\n    categories:\n      - name: Tin hoạt động")
        )
        return ()
    categories: list[Category] = []
    seen: set[str] = set()
    for item in raw:
        entry = {"name": item} if isinstance(item, str) else item
        if not isinstance(entry, dict) or not _text(entry.get("name")):
            problems.append(_problem("categories", f"mỗi chuyên mục cần có 'name', không đọc được: {item!r}"))
            continue
        name = _text(entry["name"])
        slug = slugify(_text(entry.get("slug")) or name)
        if slug in RESERVED_SLUGS:
            problems.append(
                _problem(
                    "categories", f'đường dẫn "{slug}" của chuyên mục "{name}" đã dành cho trang khác; đặt "slug" khác'
                )
            )
            continue
        if slug in seen:
            problems.append(_problem("categories", f'hai chuyên mục có cùng đường dẫn "{slug}"; đặt "slug" khác'))
            continue
        seen.add(slug)
        categories.append(Category(name, slug, _text(entry.get("description"))))
    return tuple(categories)


def _contact(raw: Any, problems: list[ContentError]) -> Contact:
    raw = raw if isinstance(raw, dict) else {}
    values = {key: _text(raw.get(key)) for key in (*REQUIRED_CONTACT, *OPTIONAL_CONTACT)}
    for key, meaning in REQUIRED_CONTACT.items():
        if not values[key]:
            problems.append(
                _problem(
                    f"contact.{key}",
                    f"thiếu {meaning}. Quy định (Thông tư 09/2014/TT-BTTTT) yêu cầu trang chủ "
                    f'hiển thị thông tin này; hãy viết "{key}: ..." dưới "contact:".',
                )
            )
    return Contact(**values)


def _links(raw: Any, problems: list[ContentError]) -> tuple[Link, ...]:
    links: list[Link] = []
    for item in raw or []:
        if not isinstance(item, dict) or not item.get("title") or not item.get("url"):
            problems.append(_problem("links", f"mỗi liên kết cần 'title' và 'url', không đọc được: {item!r}"))
            continue
        url = str(item["url"]).strip()
        if not _WEB_ADDRESS.match(url):
            problems.append(
                _problem(
                    "links",
                    f'địa chỉ "{url}" của liên kết "{_text(item["title"])}" phải bắt đầu bằng https://, http://, '
                    "mailto: hoặc tel:, ví dụ url: https://dangcongsan.vn",
                )
            )
            continue
        image = _text(item.get("image")).lstrip("/")
        if image and not _site_path_ok(image):
            problems.append(
                _problem("links", f'ảnh "{image}" phải là đường dẫn tới tệp trong docs/, ví dụ anh/bieu-ngu.png')
            )
            continue
        links.append(Link(_text(item["title"]), url, image))
    return tuple(links)


_WEB_ADDRESS = re.compile(r"^(?:https?://[^\s\"'<>]+|mailto:[^\s\"'<>]+|tel:[+\d][\d .-]*)$", re.IGNORECASE)


def _site_path_ok(path: str) -> bool:
    """A path to a file of docs/: no address scheme, no way out of the folder, nothing that ends an attribute."""
    return not re.search(r"[\"'<>\\\s]|^[A-Za-z][A-Za-z0-9+.-]*:|(^|/)\.\.(/|$)", path)


def _buttons(raw: Any, problems: list[ContentError]) -> tuple[ContactButton, ...]:
    if not raw:
        return ()
    if not isinstance(raw, dict):
        problems.append(_problem("buttons", f"cần các dòng {', '.join(BUTTONS)}: ..."))
        return ()
    buttons = []
    for kind, value in raw.items():
        if kind not in BUTTONS:
            problems.append(_problem(f"buttons.{kind}", f"không có nút này; chỉ có {', '.join(BUTTONS)}"))
            continue
        text = _text(value)
        if not text:
            continue  # not configured: no button
        label, pattern = BUTTONS[kind]
        if kind == "hotline":
            text = "".join(c for c in text if c.isdigit() or c == "+")
        elif kind == "facebook" and not text.startswith("https://"):
            text = f"https://www.facebook.com/{text.strip('/')}"
        elif kind in ("zalo", "messenger"):
            text = (
                text.rsplit("/", 1)[-1].replace(" ", "").replace(".", "") if kind == "zalo" else text.rsplit("/", 1)[-1]
            )
        buttons.append(ContactButton(kind, label, pattern.format(text)))
    return tuple(buttons)


def _storage(raw: Any, problems: list[ContentError]) -> Storage | None:
    if not raw:
        return None
    if not isinstance(raw, dict):
        problems.append(_problem("images.storage", "cần các dòng endpoint:, bucket:, public_url:"))
        return None
    values = {key: _text(raw.get(key)).rstrip("/") for key in ("endpoint", "bucket", "public_url")}
    for key, value in values.items():
        if not value:
            problems.append(_problem(f"images.storage.{key}", "thiếu; xem HUONG-DAN.md, mục ảnh trên kho đối tượng"))
        elif key != "bucket" and not value.startswith(("https://", "http://")):
            problems.append(_problem(f"images.storage.{key}", f'"{value}" phải bắt đầu bằng https://'))
    if any(not v for v in values.values()):
        return None
    return Storage(**values, region=_text(raw.get("region")) or "auto")


def _banner(raw: Any, problems: list[ContentError]) -> Banner:
    if not raw:
        return Banner()
    if not isinstance(raw, dict):
        problems.append(_problem("banner", "cần các dòng logo:, name:, motto:, short_name:"))
        return Banner()
    name = raw.get("name") or []
    lines = tuple(_text(line) for line in ([name] if isinstance(name, str) else name) if _text(line))
    if len(lines) > 2:
        problems.append(_problem("banner.name", "tên trên biểu ngữ có tối đa hai dòng"))
    logo = _text(raw.get("logo")).lstrip("/")
    if logo and not _site_path_ok(logo):
        problems.append(_problem("banner.logo", f'"{logo}" phải là đường dẫn tới ảnh trong docs/, ví dụ anh/logo.png'))
        logo = ""
    return Banner(
        logo=logo,
        lines=lines[:2],
        motto=_text(raw.get("motto")),
        short_name=_text(raw.get("short_name")),
    )


def _editor(raw: Any, problems: list[ContentError]) -> EditorConfig:
    def repo(value: str) -> str:
        if value and (value.count("/") != 1 or " " in value):
            raise ValueError(f'"{value}" phải có dạng tài-khoản/tên-kho, ví dụ ctxhdanang/cong-thong-tin')
        return value

    def auth_url(value: str) -> str:
        if value.rstrip("/") and not value.startswith("https://"):
            raise ValueError(f'"{value.rstrip("/")}" phải bắt đầu bằng https://')
        return value.rstrip("/")

    editor = _section(EditorConfig, raw or None, "editor", problems, {"repo": repo, "auth_url": auth_url})
    return replace(editor, branch=editor.branch or "main")  # type: ignore[no-any-return]


def _verbatim(raw: Any, problems: list[ContentError]) -> tuple[str, ...]:
    if not raw:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, str) and item.strip() for item in raw):
        problems.append(_problem("verbatim_files", "cần danh sách đường dẫn trong docs/, ví dụ [google1234abcd.html]"))
        return ()
    return tuple(item.strip().strip("/") for item in raw)


def _section(cls: Any, raw: Any, key: str, problems: list[ContentError], checks: dict[str, Any] | None = None) -> Any:
    """A settings section read by its declaration: each field of the dataclass `cls` from `raw`
    (its default when not written), checked by its type (true/false, a positive whole number, a
    text, a list of texts) and by `checks` (field -> function returning the value or raising
    ValueError with the message). One message per bad field; a bad field keeps its default."""
    default = cls()
    names = [f.name for f in fields(cls) if f.metadata.get("setting", True)]
    if raw is None or raw == {}:
        return default
    if not isinstance(raw, dict):
        problems.append(_problem(key, "cần các dòng " + ", ".join(f"{n}:" for n in names)))
        return default
    values = {}
    for name in names:
        value = raw.get(name, getattr(default, name))
        try:
            value = _typed(value, type(getattr(default, name)))
            if checks and name in checks:
                value = checks[name](value)
        except ValueError as exc:
            problems.append(_problem(f"{key}.{name}", str(exc)))
            continue
        values[name] = value
    return replace(default, **values)


def _typed(value: Any, kind: type) -> Any:
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"hãy viết true hoặc false, không phải {value!r}")
        return value
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"cần một số nguyên dương, không phải {value!r}")
        return value
    if kind is tuple:
        if not isinstance(value, list | tuple) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            raise ValueError("cần một danh sách, mỗi mục một dòng chữ, ví dụ [Nghị quyết, Chỉ thị]")
        return tuple(dict.fromkeys(nfc(v).strip() for v in value))
    return _text(value)


def _documents(raw: Any, problems: list[ContentError]) -> DocumentsConfig:
    return _section(DocumentsConfig, raw, "documents", problems)  # type: ignore[no-any-return]


def load_portal_config(extra: dict[str, Any]) -> PortalConfig:
    """Validate `extra.portal`; raise ContentErrors naming every bad key."""
    raw = extra.get("portal")
    problems: list[ContentError] = []
    if not isinstance(raw, dict):
        raise ContentErrors([_problem("", "thiếu mục cấu hình 'extra: portal:' của cổng thông tin")])
    categories = _categories(raw.get("categories"), problems)
    contact = _contact(raw.get("contact"), problems)
    links = _links(raw.get("links"), problems)
    per_page = PER_PAGE
    try:
        per_page = _typed(raw.get("per_page", PER_PAGE), int)
    except ValueError as exc:
        problems.append(_problem("per_page", str(exc)))
    lookup: dict[str, Category] = {}
    for category in categories:
        lookup[category.slug] = category
        lookup[fold(category.name)] = category
    notices = _text(raw.get("notices_category")) or "Thông báo"
    notices_category = _find(lookup, notices)
    if categories and notices_category is None:
        problems.append(_problem("notices_category", f'"{notices}" không phải chuyên mục đã khai báo'))
    counter, counter_problems = load_counter_config(raw.get("counter"))
    problems += [_problem(text.split(":", 1)[0], text.split(":", 1)[1].strip()) for text in counter_problems]
    buttons = _buttons(raw.get("buttons"), problems)
    editor = _editor(raw.get("editor"), problems)
    banner = _banner(raw.get("banner"), problems)
    storage = _storage(
        (raw.get("images") or {}).get("storage") if isinstance(raw.get("images"), dict) else None, problems
    )
    verbatim = _verbatim(raw.get("verbatim_files"), problems)
    documents = _documents(raw.get("documents"), problems)
    old_site = _section(OldSiteConfig, raw.get("old_site"), "old_site", problems)
    if problems:
        raise ContentErrors(problems)
    return PortalConfig(
        categories=categories,
        contact=contact,
        links=links,
        per_page=per_page,
        notices_category=notices_category.slug if notices_category else "",
        counter=counter,
        buttons=buttons,
        editor=editor,
        banner=banner,
        storage=storage,
        verbatim_files=verbatim,
        documents=documents,
        old_site=old_site,
        _lookup=lookup,
    )
