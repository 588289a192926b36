"""Company logos: what an upload must be, and how a document embeds one.

A logo is judged by its content, not its name: only a PNG or JPEG image that Pillow can read, of at most
``MAX_LOGO_BYTES`` and ``MAX_LOGO_SIDE`` pixels a side (a small file can still decode to a huge bitmap). It is
stored under the extension of what it really is, so that it is always sent with the right content type."""

import base64
import logging
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

logger = logging.getLogger(__name__)

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_SIDE = 4000
# Pillow's name of each accepted format → the extension the stored file gets.
EXTENSIONS = {"PNG": "png", "JPEG": "jpg"}
CONTENT_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}


def checked_logo(upload):
    """``upload`` renamed to the extension of its real format, or a ValidationError saying what is wrong."""
    if upload.size > MAX_LOGO_BYTES:
        limit = filesizeformat(MAX_LOGO_BYTES)
        raise ValidationError(f"The logo is {filesizeformat(upload.size)}; a logo can be at most {limit}.")
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (Image.DecompressionBombError, UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError("The logo must be a PNG or JPEG image; this file is not one, or is damaged.") from error
    finally:
        upload.seek(0)
    if kind not in EXTENSIONS:
        raise ValidationError(f"The logo must be a PNG or JPEG image, not {kind}.")
    if max(width, height) > MAX_LOGO_SIDE:
        raise ValidationError(
            f"The logo is {width} x {height} pixels; it can be at most {MAX_LOGO_SIDE:,} pixels wide and high."
        )
    upload.name = f"{PurePath(upload.name).stem[:100] or 'logo'}.{EXTENSIONS[kind]}"
    return upload


def logo_content_type(logo: FieldFile) -> str:
    return CONTENT_TYPES.get(PurePath(logo.name).suffix.lstrip(".").lower(), "application/octet-stream")


def logo_data_uri(logo: FieldFile) -> str:
    """The logo as a ``data:`` URL, so that a PDF renderer reads it from storage through us and never fetches
    anything over the network; empty when there is no logo or its file is missing from storage."""
    if not logo:
        return ""
    try:
        with logo.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        logger.warning("The logo file %s is missing from storage", logo.name)
        return ""
    return f"data:{logo_content_type(logo)};base64,{base64.b64encode(content).decode('ascii')}"
