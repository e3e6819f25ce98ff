"""The content model: every front-matter field of an article, declared once.

It drives what `chibo new` writes, the web editor's fields (`cms.py`), the field table of
the manual HUONG-DAN.md (checked by a test), and the reader's handling of true/false fields
(`articles.py`). Labels and hints are the editors' words, in Vietnamese.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # short, for the editor's form
    meaning: str  # the manual's explanation, also the form's hint
    widget: str  # the web editor's input: string, datetime, select, text, image, list, boolean
    required: str = ""  # the manual's "bắt buộc" column: "có", or a condition; "" = optional
    default: Any = ""  # what `chibo new` writes
    in_editor: bool = True  # offered in the web editor's form
    hint: str = ""  # the web editor's help, where it differs from the manual's meaning
    kind: str = "text"  # how the reader parses it (fields.PARSERS): text, path, date, category, tags, …


ARTICLE_FIELDS: tuple[Field, ...] = (
    Field("title", "Tiêu đề", "tiêu đề bài", "string", "có (hoặc dòng đầu nội dung là `# Tiêu đề`)"),
    Field(
        "date",
        "Ngày đăng",
        "thời điểm đăng, giờ Việt Nam: `2023-11-30`, `2023-11-30 08:30`, `30/11/2023` hoặc `30/11/2023 08:30`",
        "datetime",
        "có",
        hint="Giờ Việt Nam. Ngày giờ ở tương lai: bài tự lên trang vào đúng lúc đó.",
        kind="date",
    ),
    Field(
        "category",
        "Chuyên mục",
        "một chuyên mục khai báo trong `mkdocs.yml` (viết có dấu, không dấu hoặc đường dẫn đều được)",
        "select",
        "có",
        hint="Chuyên mục mới được thêm trong mkdocs.yml (mục extra: portal: categories:).",
        kind="category",
    ),
    Field("author", "Tác giả", 'hiện thành dòng "Bài viết: …" cuối bài, có trang riêng `/tac-gia/…/`', "string"),
    Field(
        "summary",
        "Tóm tắt",
        "tóm tắt cho trang danh sách và khi chia sẻ; nếu không có, lấy đoạn văn đầu tiên",
        "text",
    ),
    Field(
        "image",
        "Ảnh đại diện",
        "ảnh đại diện, đường dẫn tính từ thư mục của bài hoặc từ `docs/` (`/images/anh.jpg`); hiện ở đầu bài",
        "image",
        hint="Ảnh được thu nhỏ còn tối đa 2.000 điểm ảnh mỗi chiều khi tải lên; vị trí GPS của điện thoại bị xoá.",
        kind="path",
    ),
    Field("image_caption", "Chú thích ảnh", "chú thích hiện dưới ảnh đại diện", "string"),
    Field(
        "image_alt",
        "Mô tả ảnh (cho người khiếm thị)",
        "mô tả ảnh đại diện cho trình đọc màn hình; mặc định là chú thích, hoặc tiêu đề",
        "string",
    ),
    Field("tags", "Thẻ", "danh sách thẻ, mỗi thẻ có trang `/the/…/`", "list", default=[], kind="tags"),
    Field("draft", "Bản nháp", "`true`: bản nháp, không bao giờ được đăng", "boolean", default=False, kind="boolean"),
    Field("pin", "Ghim lên đầu", "`true`: luôn nằm ở đầu trang chủ", "boolean", default=False, kind="boolean"),
    Field(
        "scheduled",
        "Hẹn giờ xa",
        "`true`: xác nhận ngày đăng xa hơn một năm là đúng (không có thì bị coi là gõ nhầm năm)",
        "boolean",
        default=False,
        in_editor=False,
        kind="boolean",
    ),
    Field(
        "rating",
        "Đánh giá trên trang cũ",
        "số lượt đánh giá mang từ trang cũ, `{sum: 43, count: 10}` (tổng số sao, số lượt); cộng vào số liệu mới",
        "object",
        in_editor=False,
        kind="rating",
    ),
    Field(
        "hits",
        "Lượt xem trên trang cũ",
        'số lượt xem của bài trên trang cũ (số nguyên); dùng cho danh sách "Đọc nhiều" từ trước tới nay',
        "number",
        in_editor=False,
        kind="count",
    ),
    Field(
        "slug",
        "Đường dẫn",
        "đường dẫn của bài; mặc định lấy từ tiêu đề, bỏ dấu (`đ` → `d`)",
        "string",
        in_editor=False,
        kind="slug",
    ),
)

FIELDS = {f.name: f for f in ARTICLE_FIELDS}
BOOLEAN_FIELDS = tuple(f.name for f in ARTICLE_FIELDS if f.kind == "boolean")
# What `chibo new` writes, in this order (optional switches that are rarely used are left out).
NEW_ARTICLE_FIELDS = ("title", "date", "category", "author", "summary", "image", "tags", "draft", "pin")


def readme_table() -> str:
    """The manual's field table (HUONG-DAN.md), as the model says it."""
    lines = ["| trường | bắt buộc | ý nghĩa |", "| --- | --- | --- |"]
    lines += [f"| `{f.name}` | {f.required or 'không'} | {f.meaning} |" for f in ARTICLE_FIELDS]
    return "\n".join(lines)
