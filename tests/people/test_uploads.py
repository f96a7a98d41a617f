"""Uploads are checked by content (PDF, JPEG, PNG), a photo must be a real image, and there is a size limit."""

import pytest
from django.core.exceptions import ValidationError

from medtalent.people.enums import DocumentKind
from medtalent.people.uploads import check_upload
from tests.people.conftest import PDF_BYTES, jpeg_bytes, png_bytes, upload

pytestmark = pytest.mark.usefixtures("english")


def refusal(name: str, content: bytes, kind: str, content_type: str = "application/octet-stream") -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        check_upload(upload(name, content, content_type), kind=kind)
    return excinfo.value.messages


@pytest.mark.parametrize(
    ("name", "content", "kind", "expected"),
    [
        ("photo.png", png_bytes(), DocumentKind.PHOTO, "image/png"),
        ("photo.jpg", jpeg_bytes(), DocumentKind.PHOTO, "image/jpeg"),
        ("cv.pdf", PDF_BYTES, DocumentKind.CV, "application/pdf"),
        ("scan.png", png_bytes(), DocumentKind.CERTIFICATE, "image/png"),
        # The name does not matter: a PDF called .jpg is a PDF.
        ("result.jpg", PDF_BYTES, DocumentKind.LANGUAGE_RESULT, "application/pdf"),
    ],
)
def test_real_files_are_accepted_by_content(name, content, kind, expected):
    checked = check_upload(upload(name, content, "text/plain"), kind=kind)
    assert (checked.content_type, checked.size) == (expected, len(content))


def test_a_text_file_called_png_is_refused():
    assert refusal("photo.png", b"hello, I am text", DocumentKind.CERTIFICATE, "image/png") == [
        "The file is not a PDF, JPEG or PNG."
    ]


def test_a_pdf_uploaded_as_photo_is_refused():
    assert refusal("photo.pdf", PDF_BYTES, DocumentKind.PHOTO, "image/png") == [
        "The photo must be an image (JPEG or PNG)."
    ]


def test_a_text_file_uploaded_as_photo_is_refused():
    assert refusal("photo.png", b"not an image at all", DocumentKind.PHOTO, "image/png") == [
        "The photo must be an image (JPEG or PNG)."
    ]


def test_a_png_header_without_an_image_is_refused():
    broken = png_bytes()[:20]
    assert refusal("scan.png", broken, DocumentKind.CERTIFICATE, "image/png") == [
        "The image is damaged and cannot be opened."
    ]
    assert refusal("photo.png", broken, DocumentKind.PHOTO, "image/png") == [
        "The photo must be an image (JPEG or PNG)."
    ]


def test_a_jpeg_header_followed_by_png_data_is_refused():
    assert refusal("photo.jpg", b"\xff\xd8\xff" + png_bytes(), DocumentKind.PHOTO) == [
        "The photo must be an image (JPEG or PNG)."
    ]


def test_an_empty_file_is_refused():
    assert refusal("cv.pdf", b"", DocumentKind.CV) == ["The file is empty."]


def test_a_file_over_the_limit_is_refused(settings):
    settings.MEDTALENT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    big = PDF_BYTES + b"0" * (10 * 1024 * 1024)
    assert refusal("cv.pdf", big, DocumentKind.CV) == ["The file is larger than 10 MB."]


def test_the_limit_comes_from_the_setting(settings):
    settings.MEDTALENT_UPLOAD_MAX_BYTES = len(PDF_BYTES)
    assert check_upload(upload("cv.pdf", PDF_BYTES), kind=DocumentKind.CV).size == len(PDF_BYTES)
    settings.MEDTALENT_UPLOAD_MAX_BYTES = 512 * 1024
    assert refusal("cv.pdf", PDF_BYTES + b"0" * 512 * 1024, DocumentKind.CV) == ["The file is larger than 0.5 MB."]


def test_without_the_setting_the_limit_is_10_mb(settings):
    del settings.MEDTALENT_UPLOAD_MAX_BYTES
    assert refusal("cv.pdf", PDF_BYTES + b"0" * (10 * 1024 * 1024), DocumentKind.CV) == [
        "The file is larger than 10 MB."
    ]


def test_a_truncated_jpeg_is_refused():
    assert refusal("photo.jpg", jpeg_bytes((64, 64))[:-200], DocumentKind.PHOTO) == [
        "The photo must be an image (JPEG or PNG)."
    ]
