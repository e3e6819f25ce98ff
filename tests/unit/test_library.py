"""The document library's modules in-process: reading, status, replacements, mentions, files."""

from __future__ import annotations

from datetime import datetime

import pytest
from chibo.attachments import AttachmentCache, inspect, legacy_encoding
from chibo.config import ContentErrors, load_portal_config
from chibo.documents import Document, number_key, read_document
from chibo.library import link_mentions, make_library, numbers_in
from chibo.text import TIMEZONE, format_size
from support import document, scan_pdf, text_pdf

CONFIG = load_portal_config(
    {
        "portal": {
            "categories": [{"name": "Tin hoạt động"}, {"name": "Thông báo"}, {"name": "Văn bản"}],
            "contact": {"organisation": "X", "address": "Y", "phone": "1", "email": "a@b.vn", "responsible": "Z"},
        }
    }
)
NOW = datetime(2026, 12, 1, 9, tzinfo=TIMEZONE)


def _read(text: str, src: str = "van-ban/2018/a.md") -> Document:
    result = read_document(src, text.encode(), CONFIG)
    assert isinstance(result, Document), result
    return result


def test_fields_are_read_through_the_content_model() -> None:
    doc = _read(document("12-HD/BTCTW", "huong dan", "Ban Tổ chức Trung ương", "06/7/2018", "Về X", file="a.pdf"))
    assert (doc.type, doc.issued.date().isoformat(), doc.files, doc.url) == (
        "Hướng dẫn",
        "2018-07-06",
        ("van-ban/2018/a.pdf",),
        "van-ban/2018/12-hd-btctw/",
    )
    assert number_key("12-HD/BTCTW") == number_key("12-hd/btctw") == number_key("12 - HD/BTCTW")
    assert number_key("123/QĐ-UBND") == number_key("123/QD-UBND")


def test_a_file_outside_docs_or_of_another_kind_is_refused() -> None:
    for name, message in [("../../bi-mat.pdf", "phải là tệp trong thư mục docs/"), ("a.exe", "không phải loại tệp")]:
        result = read_document(
            "van-ban/a.md", document("1-CT/TW", "Chỉ thị", "B", "2020-01-01", "X", file=name).encode(), CONFIG
        )
        assert isinstance(result, list) and message in result[0].message and result[0].line == 7


def test_status_replacement_and_same_number_in_another_year() -> None:
    old = _read(document("01-QĐ/CB", "Quyết định", "Chi bộ", "2020-01-02", "Cũ", body="N."), "van-ban/old.md")
    again = _read(document("01-QĐ/CB", "Quyết định", "Chi bộ", "2021-01-02", "Năm sau", body="N."), "van-ban/again.md")
    new = _read(
        document("02-QĐ/CB", "Quyết định", "Chi bộ", "2022-05-01", "Mới", body="N.", replaces=["01-qđ/cb"]),
        "van-ban/n.md",
    )
    later = _read(
        document("03-QĐ/CB", "Quyết định", "Chi bộ", "2026-11-01", "Sau", body="N.", effective="2027-01-01"),
        "van-ban/l.md",
    )
    library = make_library({d.src_path: d for d in (old, again, new, later)}, {}, [], NOW, CONFIG.documents)
    assert library.errors == ()  # a number restarts every year
    status = {src: s.label for src, s in library.status.items()}
    # "01-QĐ/CB" names the newest document with that number issued before the replacing one
    assert status == {
        "van-ban/old.md": "Còn hiệu lực",
        "van-ban/again.md": "Bị thay thế",
        "van-ban/n.md": "Còn hiệu lực",
        "van-ban/l.md": "Chưa có hiệu lực",
    }
    assert library.status["van-ban/again.md"].replaced_by is new


def test_numbers_in_running_text_and_their_links() -> None:
    text = "Theo Hướng dẫn số 12-HD/BTCTW, ngày 06/7/2018 và Quyết định 123/QĐ-UBND."
    keys = [key for _, _, key in numbers_in(text)]
    assert keys == [number_key("12-HD/BTCTW"), "06/7/2018", number_key("123/QĐ-UBND")]
    html = '<p>Xem 12-HD/BTCTW.</p><p><a href="x">12-HD/BTCTW</a> <code>12-HD/BTCTW</code></p>'
    linked = link_mentions(html, {number_key("12-HD/BTCTW"): "van-ban/2018/12-hd-btctw/"}, "bai-viet/2023/11/a/")
    assert linked.count("portal-doc-link") == 1
    assert '<a class="portal-doc-link" href="../../../../van-ban/2018/12-hd-btctw/">12-HD/BTCTW</a>.' in linked


def test_a_long_run_of_number_characters_costs_linear_time() -> None:
    import time

    started = time.perf_counter()
    list(numbers_in("1" + "-" * 400_000))
    assert time.perf_counter() - started < 1


def test_attachments_are_checked_by_content_and_kept_by_hash() -> None:
    pdf = text_pdf("Hướng dẫn sinh hoạt chi bộ")
    found = inspect("van-ban/a.pdf", pdf)
    assert found.problem == "" and found.warning == "" and "sinh hoạt chi bộ" in found.text and found.pages == 1
    assert found.preview.startswith(b"\xff\xd8") and abs(found.preview_size[0] - 480) <= 1  # PDFium rounds
    assert "không tìm được chữ" in inspect("van-ban/s.pdf", scan_pdf()).warning
    assert "không phải PDF" in inspect("van-ban/x.pdf", b"<html>").problem
    assert "không phải DOCX" in inspect("van-ban/x.docx", pdf).problem
    cache = AttachmentCache()
    key, first, new = cache.inspect("van-ban/a.pdf", pdf)
    assert new is True
    cache.remember(key, first)
    _, again, new = cache.inspect("van-ban/b.pdf", pdf)
    assert new is False and again.path == "van-ban/b.pdf"


def test_legacy_encodings_are_recognised() -> None:
    assert legacy_encoding("Céng hoµ x· héi chñ nghÜa ViÖt Nam")  # TCVN3
    assert legacy_encoding("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam")  # VNI
    assert not legacy_encoding("Cộng hoà xã hội chủ nghĩa Việt Nam")


def test_documents_settings() -> None:
    assert format_size(350_400) == "350 kB" and format_size(1_234_567) == "1,2 MB"
    raw = {"portal": {**CONFIG_RAW, "documents": {"types": "Nghị quyết", "per_page": 0}}}
    with pytest.raises(ContentErrors) as caught:
        load_portal_config(raw)
    messages = [e.message for e in caught.value.errors]
    assert any(m.startswith("extra.portal.documents.types:") for m in messages)
    assert any(m.startswith("extra.portal.documents.per_page:") for m in messages)


CONFIG_RAW = {
    "categories": [{"name": "Thông báo"}],
    "contact": {"organisation": "X", "address": "Y", "phone": "1", "email": "a@b.vn", "responsible": "Z"},
}
