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
    example: str = ""  # what to write, in the message for a missing required field


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


DOCUMENT_FIELDS: tuple[Field, ...] = (
    Field(
        "number",
        "Số/Ký hiệu",
        "số và ký hiệu, đúng như trên văn bản: `12-HD/BTCTW`, `123/QĐ-UBND`",
        "string",
        "có",
        example="12-HD/BTCTW",
    ),
    Field(
        "type",
        "Loại văn bản",
        "một loại khai báo trong `mkdocs.yml` (`extra.portal.documents.types`; mặc định các loại văn bản "
        "của Đảng và Nhà nước: Nghị quyết, Chỉ thị, Kết luận, Hướng dẫn, Quyết định…)",
        "select",
        "có",
        kind="doctype",
    ),
    Field(
        "issuer",
        "Cơ quan ban hành",
        "cơ quan ban hành: `Ban Tổ chức Trung ương`",
        "string",
        "có",
        example="Ban Tổ chức Trung ương",
    ),
    Field(
        "issued",
        "Ngày ban hành",
        "ngày ban hành, các dạng như ngày đăng bài: `2018-07-06`, `06/7/2018`",
        "datetime",
        "có",
        kind="date",
    ),
    Field("summary", "Trích yếu", "trích yếu nội dung văn bản", "text", "có", example="Về sinh hoạt chi bộ"),
    Field(
        "file",
        "Tệp văn bản",
        "tệp đính kèm (PDF, DOC, DOCX, ODT, XLS, XLSX) đặt cạnh tệp .md, hoặc danh sách tệp; "
        "bắt buộc trừ khi nội dung văn bản viết ngay trong tệp .md",
        "file",
        "có (trừ khi có toàn văn trong nội dung)",
        default=[],
        kind="texts",
        example="12-hd-btctw.pdf",
    ),
    Field(
        "effective", "Ngày có hiệu lực", "ngày văn bản có hiệu lực (không trước ngày ban hành)", "datetime", kind="day"
    ),
    Field("expires", "Ngày hết hiệu lực", "ngày văn bản hết hiệu lực", "datetime", kind="day"),
    Field("signer", "Người ký", "người ký và chức vụ: `Nguyễn Văn A, Bí thư`", "string"),
    Field(
        "fields",
        "Lĩnh vực",
        "danh sách lĩnh vực: `[Công tác tổ chức, Đảng viên]`",
        "list",
        default=[],
        kind="texts",
        example="[Công tác tổ chức]",
    ),
    Field(
        "replaces",
        "Thay thế văn bản",
        "số/ký hiệu các văn bản mà văn bản này thay thế: `[09-HD/BTCTW]`",
        "list",
        default=[],
        kind="texts",
        example="[09-HD/BTCTW]",
    ),
    Field("title", "Tên văn bản", "tên văn bản, nếu khác trích yếu", "string"),
    Field("draft", "Bản nháp", "`true`: bản nháp, không được đăng", "boolean", default=False, kind="boolean"),
    Field(
        "slug",
        "Đường dẫn",
        "đường dẫn của văn bản; mặc định lấy từ số/ký hiệu (`12-HD/BTCTW` → `12-hd-btctw`)",
        "string",
        in_editor=False,
        kind="slug",
    ),
)
DOCUMENT_FIELD = {f.name: f for f in DOCUMENT_FIELDS}
NEW_DOCUMENT_FIELDS = (
    "number",
    "type",
    "issuer",
    "issued",
    "effective",
    "signer",
    "summary",
    "file",
    "fields",
    "draft",
)


def readme_table(fields: tuple[Field, ...] = ARTICLE_FIELDS) -> str:
    """A field table of the manual (HUONG-DAN.md), as the model says it."""
    lines = ["| trường | bắt buộc | ý nghĩa |", "| --- | --- | --- |"]
    lines += [f"| `{f.name}` | {f.required or 'không'} | {f.meaning} |" for f in fields]
    return "\n".join(lines)
