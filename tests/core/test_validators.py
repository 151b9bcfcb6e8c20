from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gvalley.core.forms import plain_text
from gvalley.core.validators import validate_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_accepts_a_real_png():
    assert validate_upload(SimpleUploadedFile("photo.png", PNG), allowed=("png",)) == "png"


def test_rejects_a_file_whose_content_is_not_its_type():
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("photo.png", b"MZ\x90\x00 executable"), allowed=("png",))
    assert exc.value.code == "file_content"


def test_rejects_a_type_that_is_not_allowed():
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("run.exe", b"MZ"), allowed=("png", "pdf"))
    assert exc.value.code == "file_type"


def test_rejects_an_oversized_file(settings):
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 2000), allowed=("pdf",), max_bytes=1000)
    assert exc.value.code == "file_too_large"


def test_rejects_an_empty_file():
    with pytest.raises(ValidationError) as exc:
        validate_upload(SimpleUploadedFile("a.pdf", b""), allowed=("pdf",))
    assert exc.value.code == "file_empty"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("<script>alert(1)</script>주차 문제", "주차 문제"),
        ("<b>굵게</b> & 1 < 2", "굵게 & 1 < 2"),
        ("<img src=x onerror=alert(1)>사진", "사진"),
        ("평범한 글", "평범한 글"),
    ],
)
def test_plain_text_neutralises_html(raw, clean):
    assert plain_text(raw) == clean
