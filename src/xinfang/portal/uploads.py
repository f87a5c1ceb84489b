"""Checking a petitioner's attachment by what it contains, never by its name or the browser's
word: a JPEG or PNG that Pillow can read, or a PDF that pypdf can parse."""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from xinfang.matters.errors import InvalidInput

log = logging.getLogger(__name__)

# A phone saves 12 million pixels by default (up to ~48 in a "full resolution" mode). Decoding
# takes 3 bytes a pixel: 40 million pixels are 120 MB of memory for one check; more is refused
# with its own message (and a decompression bomb never gets that far).
MAX_PIXELS = 40_000_000
# Phones write JPEGs with an MPF header (a second, small frame: depth map or preview), which
# Pillow reports as "MPO": still a JPEG to every viewer.
_KINDS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png"}


class _TooManyPixels(Exception):
    pass


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    stream: IO[bytes]


def _refuse(name: str) -> InvalidInput:
    return InvalidInput(
        _("附件“%(name)s”不是有效的图片（JPEG、PNG）或PDF文件，请换一个文件。") % {"name": name},
        field="attachments",
    )


def _image_type(data: bytes) -> str | None:
    """The image's content type, None when it is not a readable JPEG or PNG; _TooManyPixels
    when it is larger than MAX_PIXELS (its pixels are then never decoded)."""
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise _TooManyPixels
                image.verify()
            # verify() checks the structure; loading decodes the pixels (a truncated file fails).
            with Image.open(io.BytesIO(data)) as image:
                image.load()
        except _TooManyPixels:
            raise
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _TooManyPixels from None
        except Exception:  # Pillow raises many kinds for a bad file: all mean "not an image"
            return None
    return _KINDS.get(kind or "")


def _is_pdf(data: bytes) -> bool:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        return len(reader.pages) >= 1
    except Exception:  # pypdf raises many kinds for a broken file: all mean "not a PDF"
        return False


def check_upload(name: str, stream: IO[bytes]) -> CheckedFile:
    """The file with its real content type, or InvalidInput saying plainly what is wrong."""
    limit = settings.XINFANG_PORTAL_MAX_FILE_BYTES
    stream.seek(0)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(
            _("附件“%(name)s”太大：每个文件不超过%(limit)sMB。")
            % {"name": name, "limit": megabytes(limit)},
            field="attachments",
        )
    if not data:
        raise InvalidInput(_("附件“%(name)s”是空文件。") % {"name": name}, field="attachments")
    content_type: str | None
    if data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n"):
        try:
            content_type = _image_type(data)
        except _TooManyPixels:
            log.info("portal: refused an image of too many pixels")
            raise InvalidInput(
                _("附件“%(name)s”的像素太多（超过%(limit)s像素），请缩小后再上传。")
                % {"name": name, "limit": _pixels(MAX_PIXELS)},
                field="attachments",
            ) from None
    elif data.startswith(b"%PDF-"):
        content_type = "application/pdf" if _is_pdf(data) else None
    else:
        content_type = None
    if content_type is None:
        log.info("portal: refused an attachment that is not a readable image or PDF")
        raise _refuse(name)
    return CheckedFile(name=name, content_type=content_type, stream=io.BytesIO(data))


def _pixels(count: int) -> str:
    """4000万 in Chinese, 40 million in English."""
    if (translation.get_language() or "").startswith("zh"):
        return f"{count // 10_000}万"
    return f"{count / 1_000_000:g} million"


def megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return f"{value:g}" if value >= 1 else f"{value:.2f}"
