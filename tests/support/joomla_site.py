"""The old site the migration tests move: a Joomla 3.10 site of a chi bộ, with what such
sites hold (nested categories, menu items of both kinds, read-more, photos, module
placeholders, links between articles, deleted authors, every article state, tags, ratings,
hits, redirects and the Vinaora counter), and a copy of its files."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from .joomla import JoomlaData, images_json


def jpeg(colour: tuple[int, int, int], gps: bool = False) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (64, 48), colour)
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (16.0, 4.0, 30.0), 3: "E", 4: (108.0, 13.0, 10.0)}
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


HOI_NGHI = jpeg((165, 29, 29))
TRAO_THE = jpeg((29, 90, 165), gps=True)

# the old site's files: what --site-root points at
MIRROR = {
    "images/2023/hoi-nghi.jpg": HOI_NGHI,
    "images/2023/hoi nghi (copy).jpg": HOI_NGHI,  # the same photo saved twice
    "images/2023/trao-the.jpg": TRAO_THE,
    "images/tai-lieu/ke-hoach.pdf": b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
    "images/gia-mao.jpg": b"<html>not a photo</html>",
}


def write_mirror(root: Path) -> Path:
    for path, data in MIRROR.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    return root


def old_site() -> JoomlaData:
    data = JoomlaData()
    data.add("categories", id=1, parent_id=0, path="", extension="system", title="ROOT", alias="root")
    data.category(8, "Tin tức", "tin-tuc")
    data.category(9, "Hoạt động", "hoat-dong", parent=8)
    data.category(10, "Thông báo", "thong-bao")
    data.category(11, "Nội bộ", "noi-bo", access=2)
    data.category(12, "Giới thiệu", "gioi-thieu")
    data.category(13, "Xây dựng Đảng", "xay-dung-dang")  # no menu item leads to it
    data.category(14, "Tin cũ", "tin-cu", published=0)
    data.add("users", id=42, name="Nguyễn Văn An", username="an", email="an@example.vn")
    for tid, title, alias in ((1, "ROOT", "root"), (2, "Chi bộ", "chi-bo"), (3, "Hội nghị", "hoi-nghi")):
        data.add("tags", id=tid, title=title, alias=alias, path=alias)
    data.article(
        101,
        "Chi bộ tổ chức hội nghị tổng kết năm 2023",
        "chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023",
        9,
        "2023-12-27 10:00:00",
        "<p>Chi bộ đã tổ chức <strong>hội nghị tổng kết</strong> công tác năm 2023.</p>\r\n",
        fulltext=(
            "\r\n<p>{loadposition quang-cao}</p>\r\n"
            '<p><img src="images/2023/hoi%20nghi%20(copy).jpg" alt="Toàn cảnh hội nghị" /></p>\r\n'
            '<p>Xem <a href="index.php?option=com_content&amp;view=article&amp;id=102:lich-sinh-hoat&amp;catid=10'
            '&amp;Itemid=103">lịch sinh hoạt</a>, <a href="/index.php/tin-tuc/9-hoat-dong/103-trao-huy-hieu">'
            'lễ trao huy hiệu</a>, <a href="index.php/tin-tuc/9-hoat-dong/104-ban-nhap">bản nháp</a> và '
            '<a href="images/tai-lieu/ke-hoach.pdf">kế hoạch</a>.</p>\r\n'
            '<p><img src="/images/khong-co.jpg" alt="Ảnh đã mất" /></p>\r\n'
            '<p><img src="images/gia-mao.jpg" alt="Không phải ảnh" /></p>\r\n'
            "<p>{loadmodule mod_custom,Liên kết}</p>"
        ),
        publish_up="2023-12-28 01:30:00",  # UTC: 08:30 in Vietnam
        created_by=42,
        images=images_json(
            "images/2023/trao-the.jpg",
            "images/2023/hoi-nghi.jpg",
            full_alt="Đảng viên dự hội nghị",
            full_caption="Hội nghị tổng kết",
        ),
        hits=1234,
        featured=1,
        metadesc="Mô tả cho máy tìm kiếm",
    )
    data.article(
        102, "Lịch sinh hoạt chi bộ tháng 1", "lich-sinh-hoat", 10, "2024-01-02 02:00:00",
        '<p>Chi bộ sinh hoạt vào ngày 5 hằng tháng. Xem thêm <a href="/index.php/tin-tuc/hoat-dong">tin hoạt động</a>.</p>',
        metadesc="Lịch sinh hoạt định kỳ của chi bộ.",
        created_by=42, created_by_alias="Văn phòng Đảng ủy",
    )  # fmt: skip
    data.article(
        103, "Lễ trao huy hiệu 30 năm tuổi Đảng", "trao-huy-hieu", 9, "2023-11-20 03:00:00",
        "<p>Chi bộ trao huy hiệu cho đồng chí Trần Văn Bình.</p>", created_by=99,  # a user deleted since
        images=images_json("images/2023/trao-the.jpg", intro_alt="Trao huy hiệu"),  # a phone's photo, with GPS
    )  # fmt: skip
    data.article(104, "Bản nháp", "ban-nhap", 9, "2023-12-01 00:00:00", "<p>Chưa xong.</p>", state=0)
    data.article(105, "Bài đã xoá", "bai-da-xoa", 9, "2023-12-01 00:00:00", "<p>Rác.</p>", state=-2)
    data.article(106, "Kết quả đại hội nhiệm kỳ trước", "ket-qua-dai-hoi", 10, "2019-05-04 01:00:00",
                 "<p>Đại hội thành công.</p>", state=2)  # fmt: skip
    data.article(107, "Tài liệu nội bộ", "tai-lieu-noi-bo", 10, "2023-10-10 00:00:00", "<p>Mật.</p>", access=2)
    data.article(
        108, "Giới thiệu chi bộ", "gioi-thieu-chi-bo", 12, "2020-01-01 00:00:00", "<p>Chi bộ có 20 đảng viên.</p>"
    )
    data.article(
        109, "Hội nghị chi bộ mở rộng", "hi-ngh-chi-b-m-rng", 9, "2023-12-15 02:00:00",
        "<p>Hội nghị mở rộng.</p>",
    )  # fmt: skip
    data.article(
        110, "Chi bộ tổ chức hội nghị tổng kết năm 2023", "chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023", 10,
        "2023-12-29 02:00:00", "<p>Thông báo kết quả hội nghị.</p>",
    )  # fmt: skip
    data.article(
        111, 'Tiêu đề <script>alert("x")</script> dán vào', "tieu-de-dan-vao", 9, "2023-09-09 02:00:00",
        '<p>Chữ<script>alert(1)</script><img src="x" onerror="alert(2)" /></p>'
        '<p><a href="javascript:alert(3)">bấm</a></p>',
    )  # fmt: skip
    data.article(112, "Tin chuyên mục ẩn", "tin-an", 14, "2023-08-08 00:00:00", "<p>Ẩn.</p>")
    data.article(113, "Tin mục nội bộ", "tin-noi-bo", 11, "2023-08-08 00:00:00", "<p>Nội bộ.</p>")
    data.article(115, "Học tập nghị quyết", "hoc-tap-nghi-quyet", 13, "2023-07-07 02:00:00", "<p>Học tập.</p>")
    data.add("contentitem_tag_map", type_alias="com_content.article", core_content_id=1, content_item_id=101,
             tag_id=2, type_id=1)  # fmt: skip
    data.add("contentitem_tag_map", type_alias="com_content.article", core_content_id=1, content_item_id=101,
             tag_id=3, type_id=1)  # fmt: skip
    data.add("content_rating", content_id=101, rating_sum=43, rating_count=10, lastip="113.160.1.2")
    data.add("content_rating", content_id=102, rating_sum=3, rating_count=10, lastip="")  # no votes give that
    data.add("content_frontpage", content_id=101, ordering=1)
    data.add("menu", id=101, title="Trang chủ", alias="home", path="home",
             link="index.php?option=com_content&view=featured", home=1)  # fmt: skip
    data.add("menu", id=102, title="Tin tức", alias="tin-tuc", path="tin-tuc",
             link="index.php?option=com_content&view=category&layout=blog&id=8")  # fmt: skip
    data.add("menu", id=103, title="Thông báo", alias="thong-bao-chung", path="thong-bao-chung",
             link="index.php?option=com_content&view=category&id=10")  # fmt: skip
    data.add("menu", id=104, title="Lịch sinh hoạt", alias="lich", path="thong-bao-chung/lich",
             link="index.php?option=com_content&view=article&id=102")  # fmt: skip
    data.add("redirect_links", id=1, old_url="http://chibo.example.vn/index.php/tin-cu-da-doi-ten.html",
             new_url="index.php/tin-tuc/9-hoat-dong/101-chi-bo-to-chuc-hoi-nghi-tong-ket-nam-2023")  # fmt: skip
    # com_content's options as saved before Joomla 3.8: no router chosen, so both were possible
    data.add("extensions", extension_id=22, name="com_content", element="com_content",
             params='{"article_layout":"_:default","show_title":"1","sef_ids":0}')  # fmt: skip
    data.add("modules", id=90, title="Lượt truy cập", module="mod_vvisit_counter", position="right",
             params='{"initialvalue":"6800000","digit_type":"default"}')  # fmt: skip
    for n, visits in enumerate((20000, 15000, 657)):
        data.add("vvisit_counter", id=n + 1, time=1764547200 + n * 3600, visits=visits, guests=visits)
    return data


CATEGORY_MAP = ["Tin tức/Hoạt động=Tin hoạt động", "Tin tức=Tin hoạt động"]
