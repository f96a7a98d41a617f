"""Checks of uploaded files by their CONTENT: the name's extension and the browser's content type are ignored.

Accepted: PDF (the file starts with ``%PDF-``), JPEG and PNG (opened and verified with Pillow, so a text
file called photo.png is refused). A photo must be a real image. The size limit is the setting
``MEDTALENT_UPLOAD_MAX_BYTES`` (10 MB unless configured).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image

from medtalent.people.enums import DocumentKind

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
IMAGE_TYPES = (JPEG, PNG)
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG"}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    size: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def max_upload_bytes() -> int:
    return int(getattr(settings, "MEDTALENT_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def megabytes(limit: int) -> str:
    value = limit / (1024 * 1024)
    return f"{value:g}" if value >= 1 else f"{value:.2f}".rstrip("0").rstrip(".")


def _sniff(head: bytes) -> str | None:
    if head.startswith(PDF_MAGIC):
        return PDF
    if head.startswith(JPEG_MAGIC):
        return JPEG
    if head.startswith(PNG_MAGIC):
        return PNG
    return None


def _is_real_image(uploaded, content_type: str) -> bool:
    """Pillow opens the file as the format its first bytes claim and verifies its structure."""
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                if image.format != PILLOW_FORMATS[content_type]:
                    return False
                image.verify()  # structure and checksums (PNG)
            uploaded.seek(0)
            with Image.open(uploaded) as image:
                image.load()  # every pixel decodes: a truncated or garbled JPEG fails here
    except Exception:  # Pillow raises many kinds for a broken file; a decompression bomb is one too
        return False
    finally:
        uploaded.seek(0)
    return True


def check_upload(uploaded, *, kind: str) -> CheckedUpload:
    """Check an uploaded file (a Django UploadedFile or any file object with ``size``); raise ValidationError.

    The messages say what is wrong in plain words (文件不是PDF、JPEG或PNG / 照片必须是图片 / 文件超过10 MB).
    """
    limit = max_upload_bytes()
    size = uploaded.size
    if size > limit:
        raise ValidationError(
            # Translators: 中文：文件超过%(limit)s MB。
            _("The file is larger than %(limit)s MB.") % {"limit": megabytes(limit)},
            code="too_large",
        )
    if size == 0:
        # Translators: 中文：文件是空的。
        raise ValidationError(_("The file is empty."), code="empty")
    uploaded.seek(0)
    head = uploaded.read(16)
    uploaded.seek(0)
    content_type = _sniff(head)
    if kind == DocumentKind.PHOTO and content_type not in IMAGE_TYPES:
        # Translators: 中文：照片必须是图片（JPEG或PNG）。
        raise ValidationError(_("The photo must be an image (JPEG or PNG)."), code="photo_not_image")
    if content_type is None:
        # Translators: 中文：文件不是PDF、JPEG或PNG。
        raise ValidationError(_("The file is not a PDF, JPEG or PNG."), code="bad_type")
    if content_type in IMAGE_TYPES and not _is_real_image(uploaded, content_type):
        if kind == DocumentKind.PHOTO:
            raise ValidationError(_("The photo must be an image (JPEG or PNG)."), code="photo_not_image")
        # Translators: 中文：图片文件已损坏，无法打开。
        raise ValidationError(_("The image is damaged and cannot be opened."), code="broken_image")
    return CheckedUpload(content_type=content_type, size=size)
