"""Avatar uploads: what is refused, and what an accepted picture becomes.

Every image is made here with Pillow, in memory, so no binary fixtures live in the repo.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib

import pytest
from PIL import Image, ImageCms

from hallway.members.avatars import (
    AVATAR_COLOURS,
    AVATAR_FORMAT,
    AVATAR_SIZE,
    MAX_AVATAR_BYTES,
    AvatarError,
    avatar_colour,
    initials,
    process_avatar,
)

RED = (255, 0, 0)
BLUE = (0, 0, 255)
GREEN = (0, 160, 0)


def encode(image: Image.Image, fmt: str, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def noisy_rgb(width: int, height: int) -> Image.Image:
    """Random-looking pixels, so JPEG cannot compress the file to almost nothing."""
    return Image.effect_noise((width, height), 80).convert("RGB")


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge picture: a classic decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )


def is_close(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


# ---- refused uploads ------------------------------------------------------------------


def test_empty_upload_is_refused() -> None:
    with pytest.raises(AvatarError, match="empty"):
        process_avatar(b"")


def test_upload_over_two_mebibytes_is_refused_before_decoding() -> None:
    data = encode(noisy_rgb(64, 64), "PNG")
    oversize = data + b"\x00" * (MAX_AVATAR_BYTES + 1 - len(data))
    with pytest.raises(AvatarError, match="larger than 2 MB"):
        process_avatar(oversize)


def test_svg_is_refused() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><script/></svg>'
    with pytest.raises(AvatarError, match="SVG"):
        process_avatar(svg)


def test_svg_disguised_as_png_is_refused() -> None:
    """Only the bytes count; an SVG renamed avatar.png is still SVG."""
    svg = (
        b'\xef\xbb\xbf<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x">\n'
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="64" height="64"/></svg>'
    )
    with pytest.raises(AvatarError, match="SVG"):
        process_avatar(svg)


def test_text_file_is_refused_as_not_a_picture() -> None:
    with pytest.raises(AvatarError, match="not a picture"):
        process_avatar(b"Hello, I am definitely a PNG.\n")


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO"])
def test_formats_other_than_png_jpeg_gif_webp_are_refused_by_name(fmt: str) -> None:
    with pytest.raises(AvatarError, match=f"{fmt} files are not accepted"):
        process_avatar(encode(noisy_rgb(64, 64), fmt))


def test_heic_photo_is_refused_by_name() -> None:
    heic_header = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    with pytest.raises(AvatarError, match="HEIC files are not accepted"):
        process_avatar(heic_header)


def test_truncated_jpeg_is_refused() -> None:
    data = encode(noisy_rgb(300, 300), "JPEG", quality=90)
    with pytest.raises(AvatarError, match="damaged or incomplete"):
        process_avatar(data[: len(data) // 2])


def test_truncated_png_is_refused() -> None:
    data = encode(noisy_rgb(300, 300), "PNG")
    with pytest.raises(AvatarError, match="damaged or incomplete"):
        process_avatar(data[: len(data) // 2])


def test_jpeg_cut_inside_its_header_is_refused() -> None:
    data = encode(noisy_rgb(300, 300), "JPEG")
    with pytest.raises(AvatarError):
        process_avatar(data[:200])


def test_png_declaring_ten_billion_pixels_is_refused_without_decoding() -> None:
    bomb = png_declaring(100_000, 100_000)
    assert len(bomb) < 1000
    with pytest.raises(AvatarError, match="too large"):
        process_avatar(bomb)


def test_png_over_the_pixel_cap_but_under_pillows_is_refused() -> None:
    bomb = png_declaring(6000, 5000)  # 30 megapixels: Pillow itself would not object
    with pytest.raises(AvatarError, match="6000×5000"):
        process_avatar(bomb)


def test_real_highly_compressible_bomb_is_refused() -> None:
    """A genuine 10000×10000 single-colour PNG: a few KB on disk, 300 MB decoded as RGB."""
    bomb = encode(Image.new("1", (10_000, 10_000), 1), "PNG", optimize=True)
    assert len(bomb) < MAX_AVATAR_BYTES
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with pytest.raises(AvatarError, match="too large"):
            process_avatar(bomb)


def test_bomb_is_refused_when_warnings_are_errors() -> None:
    bomb = encode(Image.new("1", (10_000, 10_000), 1), "PNG", optimize=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(AvatarError, match="too large"):
            process_avatar(bomb)


@pytest.mark.parametrize("size", [(16, 16), (31, 200), (200, 31)])
def test_pictures_smaller_than_32_pixels_on_a_side_are_refused(size: tuple[int, int]) -> None:
    with pytest.raises(AvatarError, match="at least 32×32"):
        process_avatar(encode(Image.new("RGB", size, RED), "PNG"))


def test_avatar_error_is_a_value_error_with_a_readable_message() -> None:
    with pytest.raises(ValueError) as caught:
        process_avatar(b"")
    assert str(caught.value).startswith("The file is empty.")


# ---- accepted uploads -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_accepted_formats_become_a_256_square_in_the_avatar_format(fmt: str) -> None:
    output = decode(process_avatar(encode(noisy_rgb(320, 240), fmt)))
    assert output.format == AVATAR_FORMAT
    assert output.size == (AVATAR_SIZE, AVATAR_SIZE)


def test_png_output_can_be_requested() -> None:
    output = decode(process_avatar(encode(noisy_rgb(64, 64), "JPEG"), output_format="PNG"))
    assert output.format == "PNG"
    assert output.size == (256, 256)


def test_unknown_output_format_is_a_programming_error_not_an_avatar_error() -> None:
    with pytest.raises(ValueError, match="output format") as caught:
        process_avatar(encode(noisy_rgb(64, 64), "PNG"), output_format="JPEG")
    assert not isinstance(caught.value, AvatarError)


def test_the_smallest_accepted_picture_is_32_pixels_square() -> None:
    output = decode(process_avatar(encode(Image.new("RGB", (32, 32), RED), "PNG")))
    assert output.size == (256, 256)


def test_wide_picture_is_cropped_from_the_centre() -> None:
    image = Image.new("RGB", (400, 200), RED)
    image.paste(GREEN, (100, 0, 300, 200))
    output = decode(process_avatar(encode(image, "PNG"), output_format="PNG"))
    for corner in [(0, 0), (255, 0), (0, 255), (255, 255), (128, 128)]:
        assert is_close(output.getpixel(corner), GREEN)


def test_first_frame_of_an_animated_gif_is_used() -> None:
    frames = [Image.new("RGB", (64, 64), RED), Image.new("RGB", (64, 64), BLUE)]
    gif = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(io.BytesIO(gif)).n_frames == 2
    output = decode(process_avatar(gif))
    assert getattr(output, "n_frames", 1) == 1
    assert is_close(output.getpixel((128, 128)), RED)


def exif_rotated_jpeg() -> bytes:
    """Stored 200×100 with red left and blue right; EXIF says "rotate 90° clockwise".

    Shown upright, it is 100×200 with red on top and blue below.
    """
    image = Image.new("RGB", (200, 100), RED)
    image.paste(BLUE, (100, 0, 200, 100))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° CW to display
    exif[0x010F] = "Sneaky Camera Co"  # Make
    exif[0x8825] = {1: "N", 2: (49.0, 16.0, 0.0)}  # GPS position
    return encode(image, "JPEG", quality=95, exif=exif.tobytes())


def test_exif_orientation_is_applied() -> None:
    output = decode(process_avatar(exif_rotated_jpeg(), output_format="PNG"))
    assert is_close(output.getpixel((32, 64)), RED)
    assert is_close(output.getpixel((224, 64)), RED)
    assert is_close(output.getpixel((32, 192)), BLUE)
    assert is_close(output.getpixel((224, 192)), BLUE)


@pytest.mark.parametrize("output_format", ["WEBP", "PNG"])
def test_output_has_no_exif_icc_or_xmp(output_format: str) -> None:
    if output_format == "WEBP" and AVATAR_FORMAT != "WEBP":
        pytest.skip("Pillow was built without WebP")
    data = process_avatar(exif_rotated_jpeg(), output_format=output_format)
    output = decode(data)
    assert len(output.getexif()) == 0
    for key in ("exif", "icc_profile", "xmp", "XML:com.adobe.xmp"):
        assert key not in output.info
    assert b"Sneaky Camera Co" not in data
    assert b"Exif" not in data


@pytest.mark.parametrize("output_format", ["WEBP", "PNG"])
@pytest.mark.parametrize("mode", ["RGB", "P"])
def test_embedded_colour_profile_is_not_copied(mode: str, output_format: str) -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    upload = encode(noisy_rgb(64, 64).convert(mode), "PNG", icc_profile=profile)
    assert "icc_profile" in Image.open(io.BytesIO(upload)).info
    data = process_avatar(upload, output_format=output_format)
    assert "icc_profile" not in decode(data).info


def test_transparent_png_keeps_its_transparency() -> None:
    image = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    image.paste((*RED, 255), (25, 25, 75, 75))
    output = decode(process_avatar(encode(image, "PNG")))
    assert output.mode == "RGBA"
    assert output.getpixel((2, 2))[3] == 0
    red_centre = output.getpixel((128, 128))
    assert red_centre[3] == 255 and is_close(red_centre, RED)


def test_palette_gif_with_a_transparent_colour_becomes_rgba() -> None:
    image = Image.new("P", (64, 64), 0)
    image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    image.paste(1, (16, 16, 48, 48))
    output = decode(process_avatar(encode(image, "GIF", transparency=0)))
    assert output.mode == "RGBA"
    assert output.getpixel((2, 2))[3] == 0
    assert is_close(output.getpixel((128, 128)), BLUE)


def test_opaque_palette_picture_becomes_rgb() -> None:
    image = noisy_rgb(64, 64).convert("P")
    assert decode(process_avatar(encode(image, "PNG"))).mode == "RGB"


@pytest.mark.parametrize("mode", ["L", "CMYK"])
def test_grey_and_cmyk_jpegs_become_rgb(mode: str) -> None:
    image = Image.new(mode, (64, 64))
    output = decode(process_avatar(encode(image, "JPEG")))
    assert output.mode == "RGB"


def test_sixteen_bit_grey_png_keeps_its_brightness() -> None:
    image = Image.new("I;16", (64, 64), 32768)  # mid grey in 16 bits
    output = decode(process_avatar(encode(image, "PNG"), output_format="PNG"))
    assert output.mode == "RGB"
    assert is_close(output.getpixel((128, 128)), (128, 128, 128), tolerance=2)


# ---- initials avatar ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ada Lovelace", "AL"),
        ("ada", "A"),
        ("  maría   josé   garcía  ", "MG"),
        ("émile zola", "ÉZ"),
        ("Jean-Luc Picard", "JP"),
        ("张伟", "张"),
        ("Ольга Петрова", "ОП"),
        ("@jane_doe", "J"),
        ("42 🎉", "?"),
        ("", "?"),
        ("   ", "?"),
        ("straße", "S"),
    ],
)
def test_initials_are_one_or_two_upper_case_letters(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_initials_treat_decomposed_accents_as_one_letter() -> None:
    assert initials("e\u0301mile zola") == "ÉZ"


def test_avatar_colour_is_stable_and_from_the_palette() -> None:
    colour = avatar_colour("member:42")
    assert colour in AVATAR_COLOURS
    assert avatar_colour("member:42") == colour


def test_avatar_colour_does_not_depend_on_pythons_hash_seed() -> None:
    """Known values: they would change per process if someone swapped hashlib for hash()."""
    assert avatar_colour("member:1") == "#b23c17"
    assert avatar_colour("member:2") == "#2e7d32"


def test_avatar_colours_spread_across_the_palette() -> None:
    used = {avatar_colour(f"member:{number}") for number in range(200)}
    assert len(used) == len(AVATAR_COLOURS)


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", AVATAR_COLOURS)
def test_every_avatar_colour_has_aa_contrast_with_white_text(colour: str) -> None:
    contrast = 1.05 / (relative_luminance(colour) + 0.05)
    assert contrast >= 4.5
