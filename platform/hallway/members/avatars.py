"""Member pictures: turn an untrusted upload into a small, clean, square image.

An upload is attacker-controlled bytes, so we accept only four common formats, refuse
anything that could exhaust memory before decoding it, and never store the original:
the re-encoded copy has no EXIF (no GPS position), no ICC or XMP, and a fixed size.
Members without a picture get initials on a colour chosen from their id.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata

from flask_babel import gettext, lazy_gettext
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError, features

MAX_AVATAR_BYTES = 2 * 1024 * 1024
MAX_AVATAR_PIXELS = 25_000_000  # a 25-megapixel photo; far below what a bomb declares
MIN_AVATAR_SIDE = 32
AVATAR_SIZE = 256

AVATAR_FORMAT = "WEBP" if features.check("webp") else "PNG"
AVATAR_MIME_TYPES = {"WEBP": "image/webp", "PNG": "image/png"}
AVATAR_MIME_TYPE = AVATAR_MIME_TYPES[AVATAR_FORMAT]

# Pillow only tries these decoders, so exotic parsers never see untrusted bytes.
_DECODERS = ("PNG", "JPEG", "GIF", "WEBP")
# "MPO" is how Pillow reports camera JPEGs that carry extra pictures (depth maps).
_ACCEPTED_FORMATS = frozenset({"PNG", "JPEG", "MPO", "GIF", "WEBP"})
_ACCEPTED_WORDS = lazy_gettext("Please upload a PNG, JPEG, GIF or WebP picture.")

# Magic numbers of formats people often try, to say "BMP is not accepted" rather than
# "not a picture". Checked only after our decoders failed; nothing else parses the bytes.
_REFUSED_SIGNATURES = (
    (0, b"BM", "BMP"),
    (0, b"II*\x00", "TIFF"),
    (0, b"MM\x00*", "TIFF"),
    (0, b"\x00\x00\x01\x00", "ICO"),
    (0, b"8BPS", "Photoshop (PSD)"),
    (0, b"%PDF", "PDF"),
    (4, b"ftypheic", "HEIC"),
    (4, b"ftypheix", "HEIC"),
    (4, b"ftypmif1", "HEIF"),
    (4, b"ftypavif", "AVIF"),
)


class AvatarError(ValueError):
    """An upload we refuse; the message is written to be shown next to the form field."""


def _too_many_pixels() -> str:
    return gettext("This picture is too large in pixels.") + " " + str(_ACCEPTED_WORDS)


def _not_accepted(format_name: str) -> str:
    return (
        gettext("%(format)s files are not accepted.", format=format_name)
        + " "
        + str(_ACCEPTED_WORDS)
    )


def _looks_like_svg(data: bytes) -> bool:
    """SVG is XML that can carry scripts, so it is refused whatever the file is called."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and b"<svg" in head


def _refused_format_name(data: bytes) -> str | None:
    for offset, signature, name in _REFUSED_SIGNATURES:
        if data[offset : offset + len(signature)] == signature:
            return name
    return None


def _open(data: bytes) -> Image.Image:
    """Identify the image from its header only; no pixels are decoded yet."""
    try:
        image = Image.open(io.BytesIO(data), formats=_DECODERS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise AvatarError(_too_many_pixels()) from error
    except UnidentifiedImageError as error:
        refused = _refused_format_name(data)
        if refused:
            raise AvatarError(_not_accepted(refused)) from error
        raise AvatarError(
            gettext("This file is not a picture we can read.") + " " + str(_ACCEPTED_WORDS)
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise AvatarError(
            gettext("This picture is damaged or incomplete and cannot be read.")
        ) from error
    if image.format not in _ACCEPTED_FORMATS:
        raise AvatarError(_not_accepted(str(image.format)))
    return image


def _check_dimensions(image: Image.Image) -> None:
    width, height = image.size
    if width * height > MAX_AVATAR_PIXELS:
        raise AvatarError(
            gettext(
                "This picture is %(width)s×%(height)s pixels, too large to process. "
                "Please upload one under 25 megapixels.",
                width=width,
                height=height,
            )
        )
    if width < MIN_AVATAR_SIDE or height < MIN_AVATAR_SIDE:
        raise AvatarError(
            gettext(
                "This picture is %(width)s×%(height)s pixels; it must be at least "
                "%(side)s×%(side)s.",
                width=width,
                height=height,
                side=MIN_AVATAR_SIDE,
            )
        )


def _decode(image: Image.Image) -> Image.Image:
    """Decode the first frame (an animated GIF or WebP becomes a still picture)."""
    try:
        image.seek(0)
        image.load()
        return ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise AvatarError(_too_many_pixels()) from error
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as error:
        raise AvatarError(
            gettext("This picture is damaged or incomplete and cannot be read.")
        ) from error


def _has_transparency(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info


def _to_srgb(image: Image.Image) -> Image.Image:
    """Apply an embedded colour profile before we drop it, so phone photos keep their colours.

    A profile we cannot use is ignored rather than refused: the picture is still fine.
    """
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK") or not features.check("littlecms2"):
        return image
    output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.createProfile("sRGB")
        converted = ImageCms.profileToProfile(image, source, srgb, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image
    return converted if converted is not None else image


def _to_rgb_or_rgba(image: Image.Image) -> Image.Image:
    """Palette, grey, CMYK and 16-bit pictures become RGB, or RGBA when they have transparency."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit grey: scale to 8 bits; a plain convert would clip nearly everything to white.
        image = image.point(lambda value: value / 256).convert("L")
    if _has_transparency(image):
        return image.convert("RGBA")
    return image.convert("RGB")


def process_avatar(data: bytes, *, output_format: str = AVATAR_FORMAT) -> bytes:
    """Validate an uploaded picture and return a centre-cropped 256×256 copy without metadata.

    Raises AvatarError with a message fit for the form when the upload is refused.
    `output_format` is "WEBP" or "PNG"; the default is WebP when Pillow supports it.
    """
    if output_format not in AVATAR_MIME_TYPES:
        raise ValueError(f"unsupported avatar output format {output_format!r}")
    if not data:
        raise AvatarError("The file is empty. " + _ACCEPTED_WORDS)
    if len(data) > MAX_AVATAR_BYTES:
        raise AvatarError("This file is larger than 2 MB. Please upload a smaller picture.")
    if _looks_like_svg(data):
        raise AvatarError("SVG files are not accepted. " + _ACCEPTED_WORDS)

    with _open(data) as original:
        _check_dimensions(original)
        image = _decode(original)
        image = _to_srgb(image)
        image = _to_rgb_or_rgba(image)

    square = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE), method=Image.Resampling.LANCZOS)
    square.info = {}  # resize copies info; clear it so no EXIF, ICC or XMP is written

    buffer = io.BytesIO()
    if output_format == "WEBP":
        square.save(buffer, format="WEBP", quality=85, method=4)
    else:
        square.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------
# Initials avatar (drawn in HTML/CSS when a member has no picture)
# --------------------------------------------------------------------------------------

# Every colour gives white text a contrast of at least 4.5:1 (WCAG AA for normal text).
AVATAR_TEXT_COLOUR = "#ffffff"
AVATAR_COLOURS: tuple[str, ...] = (
    "#1f5f8b",  # blue
    "#00695c",  # teal
    "#2e7d32",  # green
    "#6a1b9a",  # purple
    "#ad1457",  # raspberry
    "#b23c17",  # rust
    "#5d4037",  # brown
    "#37474f",  # slate
    "#283593",  # indigo
    "#8e2430",  # wine
)


def initials(display_name: str) -> str:
    """First letter of the first and last words, upper-cased; "?" when there is no letter.

    Works for any script: "émile zola" -> "ÉZ", "Jean-Luc Picard" -> "JP", "张伟" -> "张".
    """
    name = unicodedata.normalize("NFC", display_name)
    letters = []
    for word in name.split():
        for char in word:
            if char.isalpha():
                letters.append(char)
                break
    if not letters:
        return "?"
    chosen = letters[:1] + letters[-1:] if len(letters) > 1 else letters
    # upper() can lengthen a letter ("ß" -> "SS"); keep one character per word.
    return "".join(letter.upper()[:1] for letter in chosen)


def avatar_colour(seed: str) -> str:
    """A stable background colour for `seed` (e.g. the member id).

    hashlib, not hash(): hash() of a str changes between processes, so colours would
    change on every restart and differ between server processes.
    """
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return AVATAR_COLOURS[int.from_bytes(digest[:8], "big") % len(AVATAR_COLOURS)]


__all__ = [
    "AVATAR_COLOURS",
    "AVATAR_FORMAT",
    "AVATAR_MIME_TYPE",
    "AVATAR_MIME_TYPES",
    "AVATAR_SIZE",
    "AVATAR_TEXT_COLOUR",
    "MAX_AVATAR_BYTES",
    "MAX_AVATAR_PIXELS",
    "MIN_AVATAR_SIDE",
    "AvatarError",
    "avatar_colour",
    "initials",
    "process_avatar",
]
