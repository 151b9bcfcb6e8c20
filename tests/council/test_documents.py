"""The shared document module (core.documents): PDF and HWPX written and read back."""

from __future__ import annotations

import io
import zipfile

import pytest

from gvalley.core import documents
from gvalley.core.documents import (
    Document,
    DocumentError,
    hwpx_metadata,
    hwpx_text,
    pdf_text,
    render_hwpx,
    render_pdf,
)


def _doc() -> Document:
    doc = Document(
        title="G밸리 발전협의회 회의록",
        subtitle="2021-11-25 · 서울시청",
        author="사무국",
        stamp="초안",
        keywords=["회의록"],
    )
    doc.facts([("일시", "2021-11-25 14:00"), ("장소", "비상(飛上) 센터")], caption="회의 개요")
    doc.heading("1. 안건")
    doc.table(
        ["순서", "안건", "시간"],
        [[1, "주차장 확충 " * 12, 20], [2, "Shuttle & <bus>", 15.5]],
        caption="안건 목록",
    )
    doc.paragraph("첫 문단입니다.\n\n둘째 문단: ‘인용’ ※ 참고")
    return doc


def test_pdf_embeds_the_korean_font_and_reads_back():
    data = render_pdf(_doc())
    assert data.startswith(b"%PDF-")
    assert b"/FontFile2" in data and b"Pretendard" in data
    text = pdf_text(data)
    squashed = "".join(text.split())
    for expected in (
        "G밸리발전협의회회의록",
        "주차장확충주차장확충",
        "Shuttle&<bus>",
        "15.5",
        "둘째문단:‘인용’※참고",
        "초안",
    ):
        assert expected in squashed
    assert "비상(??)센터" in squashed  # no hanja glyph in the font: a visible "?" instead of an empty box


def test_hwpx_is_a_valid_owpml_package_with_the_text_and_metadata():
    data = render_hwpx(_doc())
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist()[0] == "mimetype"
    assert archive.read("mimetype") == b"application/hwp+zip"
    text = hwpx_text(data)
    assert "비상(飛上) 센터" in text and "Shuttle & <bus>" in text and "주차장 확충" in text
    assert hwpx_metadata(data)["title"] == "G밸리 발전협의회 회의록"
    assert hwpx_metadata(data)["creator"] == "사무국"
    from hwpx import HwpxDocument

    assert HwpxDocument.open(io.BytesIO(data)).validate().issues == ()


def test_reading_back_refuses_other_files_and_verification_catches_missing_text():
    with pytest.raises(DocumentError):
        pdf_text(b"not a pdf")
    with pytest.raises(DocumentError):
        hwpx_text(b"PK not a zip")
    doc = Document(title="보이는 제목")
    with pytest.raises(DocumentError):
        documents._verify(doc, "다른 내용", "PDF")


def test_missing_fonts_are_reported(settings, tmp_path):
    settings.GVALLEY_PDF_FONT_DIR = tmp_path
    with pytest.raises(DocumentError, match="make assets"):
        render_pdf(Document(title="x"))
