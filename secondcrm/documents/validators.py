"""What an upload must be: not too large, and not a type that could run code on a user's machine or in
their browser."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

DANGEROUS_EXTENSIONS = frozenset(
    {
        "app",
        "apk",
        "bat",
        "bash",
        "cgi",
        "cmd",
        "com",
        "cpl",
        "dll",
        "exe",
        "hta",
        "htm",
        "html",
        "jar",
        "js",
        "jse",
        "lnk",
        "msi",
        "msp",
        "php",
        "phtml",
        "pl",
        "ps1",
        "psm1",
        "py",
        "reg",
        "scr",
        "sh",
        "svg",
        "vbe",
        "vbs",
        "ws",
        "wsf",
        "wsh",
        "xhtml",
    }
)


def validate_upload(upload) -> None:
    limit = settings.DOCUMENT_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; files can be at most {filesizeformat(limit)}."
        )
    suffixes = [s.lstrip(".").lower() for s in PurePath(upload.name).suffixes]
    if not suffixes:
        return
    if suffixes[-1] in DANGEROUS_EXTENSIONS:
        raise ValidationError(f"Files of type .{suffixes[-1]} are not accepted: they can run code when opened.")
