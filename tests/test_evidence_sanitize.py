"""Evidence cleaning (pure module): what is accepted, and that no metadata survives."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest
from PIL import Image
from pypdf import PdfReader

from observer.reports import sanitize as sanitize_module
from observer.reports.sanitize import EvidenceError, clean_name, sanitize, sniff_type
from tests.factories_reports import (
    SECRET,
    heic_with_metadata,
    hostile_pdf,
    jpeg_with_metadata,
    pdf_with_metadata,
    png_with_text,
    webp_with_metadata,
)

EXIFTOOL = shutil.which("exiftool") or (
    "/usr/bin/exiftool" if shutil.os.path.exists("/usr/bin/exiftool") else None
)
# What exiftool may still report: facts about the container, never embedded metadata.
CONTAINER_GROUPS = {"ExifTool", "System", "File", "JFIF", "RIFF", "Composite"}
CONTAINER_TAGS = {
    "PNG:ImageWidth",
    "PNG:ImageHeight",
    "PNG:BitDepth",
    "PNG:ColorType",
    "PNG:Compression",
    "PNG:Filter",
    "PNG:Interlace",
    "PDF:PDFVersion",
    "PDF:Linearized",
    "PDF:PageCount",
}


def assert_no_trace(data: bytes) -> None:
    assert SECRET.encode() not in data
    assert b"SecretPhoneMaker" not in data
    assert b"Model-SN-0042" not in data
    assert b"xmpmeta" not in data
    assert b"Exif\x00\x00" not in data and b"eXIf" not in data


def pillow_metadata(data: bytes) -> tuple[dict, dict]:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif()), dict(image.info)


def exiftool_tags(data: bytes, tmp_path, suffix: str) -> dict:
    if not EXIFTOOL:
        # Without exiftool the metadata checks would prove nothing: fail, never skip.
        pytest.fail("exiftool is missing: run `make system-test-deps` (libimage-exiftool-perl)")
    path = tmp_path / f"check{suffix}"
    path.write_bytes(data)
    out = subprocess.run(
        [EXIFTOOL, "-j", "-G1", "-a", "-u", str(path)], capture_output=True, check=True, text=True
    ).stdout
    return json.loads(out)[0]


def leftover_metadata(data: bytes, tmp_path, suffix: str) -> list[str]:
    """Tags exiftool finds beyond the container's own facts (EXIF, GPS, XMP, comments...)."""
    tags = exiftool_tags(data, tmp_path, suffix)
    return [
        key
        for key in tags
        if key != "SourceFile"
        and key != "File:Comment"
        and key.split(":", 1)[0] not in CONTAINER_GROUPS
        and key not in CONTAINER_TAGS
    ] + [key for key in tags if key == "File:Comment"]


# --- type sniffing -----------------------------------------------------------------------


def test_type_comes_from_content_not_name():
    assert sniff_type(jpeg_with_metadata()) == "image/jpeg"
    assert sniff_type(png_with_text()) == "image/png"
    assert sniff_type(webp_with_metadata()) == "image/webp"
    assert sniff_type(heic_with_metadata()) == "image/heic"
    assert sniff_type(pdf_with_metadata()) == "application/pdf"
    assert sniff_type(b"<html><script>alert(1)</script>") is None
    assert sniff_type(b"GIF89a....") is None


def test_html_named_as_jpeg_is_refused_with_its_name():
    with pytest.raises(EvidenceError) as refused:
        sanitize("photo.jpg", b"<html><script>alert(1)</script></html>")
    assert refused.value.code == "unsupported"
    assert refused.value.name == "photo.jpg"


def test_jpeg_named_as_pdf_is_stored_as_jpeg():
    clean = sanitize("protocol.pdf", jpeg_with_metadata())
    assert clean.media_type == "image/jpeg"
    assert clean.name == "protocol.jpg"


def test_empty_file_refused():
    with pytest.raises(EvidenceError) as refused:
        sanitize("empty.png", b"")
    assert refused.value.code == "empty"


@pytest.mark.parametrize(
    "data",
    [
        b"\xff\xd8\xff\xe0garbage",
        b"\x89PNG\r\n\x1a\n\x00\x00broken",
        b"RIFF\x00\x00\x00\x00WEBPVP8 junk",
    ],
)
def test_truncated_images_refused_as_damaged(data):
    with pytest.raises(EvidenceError) as refused:
        sanitize("x.jpg", data)
    assert refused.value.code == "broken"


def test_decompression_bomb_refused(monkeypatch):
    monkeypatch.setattr(sanitize_module, "MAX_PIXELS", 1000)
    with pytest.raises(EvidenceError) as refused:
        sanitize("huge.jpg", jpeg_with_metadata(size=(64, 32)))  # 2048 pixels > 1000
    assert refused.value.code == "too_many_pixels"


def test_decompression_bomb_header_refused_without_decoding():
    # A PNG whose header claims 100000 x 100000 pixels: refused before any pixel is decoded.
    import struct
    import zlib

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")
    with pytest.raises(EvidenceError) as refused:
        sanitize("bomb.png", data)
    assert refused.value.code == "too_many_pixels"


# --- metadata removal ----------------------------------------------------------------------


def test_jpeg_loses_exif_gps_xmp_and_comment(tmp_path):
    original = jpeg_with_metadata()
    exif, info = pillow_metadata(original)
    assert exif and "comment" in info and "xmp" in info  # the test file really carries them
    clean = sanitize("IMG_0001.JPG", original)
    assert clean.media_type == "image/jpeg"
    assert_no_trace(clean.data)
    exif, info = pillow_metadata(clean.data)
    assert exif == {}
    assert not {"exif", "xmp", "comment", "icc_profile"} & set(info)
    assert leftover_metadata(clean.data, tmp_path, ".jpg") == []


def test_png_loses_text_chunks_and_exif(tmp_path):
    original = png_with_text()
    assert b"tEXt" in original and b"zTXt" in original and b"iTXt" in original
    clean = sanitize("screen.png", original)
    assert clean.media_type == "image/png"
    for chunk in (b"tEXt", b"zTXt", b"iTXt", b"eXIf"):
        assert chunk not in clean.data
    assert_no_trace(clean.data)
    exif, info = pillow_metadata(clean.data)
    assert exif == {} and not {"Author", "Comment", "Description", "exif"} & set(info)
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.mode == "RGBA"  # transparency kept
    assert leftover_metadata(clean.data, tmp_path, ".png") == []


def test_webp_stays_webp_without_metadata(tmp_path):
    clean = sanitize("x.webp", webp_with_metadata())
    assert clean.media_type == "image/webp"
    assert_no_trace(clean.data)
    assert b"EXIF" not in clean.data and b"XMP " not in clean.data
    assert leftover_metadata(clean.data, tmp_path, ".webp") == []


def test_heic_becomes_upright_jpeg_without_metadata(tmp_path):
    clean = sanitize("IMG_1234.HEIC", heic_with_metadata(orientation=6))
    assert clean.media_type == "image/jpeg"
    assert clean.name == "IMG_1234.jpg"
    assert_no_trace(clean.data)
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.size == (20, 40)  # 40x20 rotated by the orientation tag
        assert dict(image.getexif()) == {}
    assert leftover_metadata(clean.data, tmp_path, ".jpg") == []


@pytest.mark.parametrize(
    "orientation,expected", [(1, (64, 32)), (6, (32, 64)), (8, (32, 64)), (3, (64, 32))]
)
def test_orientation_applied_to_pixels(orientation, expected):
    clean = sanitize("rotated.jpg", jpeg_with_metadata(size=(64, 32), orientation=orientation))
    with Image.open(io.BytesIO(clean.data)) as image:
        assert image.size == expected
        assert 0x0112 not in image.getexif()  # no orientation tag left to rotate it twice
        if orientation == 6:  # 90° clockwise: the left (blue) half ends up on top
            top = image.convert("RGB").getpixel((16, 4))
            assert top[2] > 150 and top[0] < 100


def test_pdf_loses_info_and_xmp(tmp_path):
    original = pdf_with_metadata()
    assert SECRET.encode() in original
    clean = sanitize("protocol.pdf", original)
    assert clean.media_type == "application/pdf"
    assert SECRET.encode() not in clean.data and b"SecretScanner" not in clean.data
    reader = PdfReader(io.BytesIO(clean.data))
    assert reader.metadata is None
    assert "/Metadata" not in reader.trailer["/Root"]
    assert len(reader.pages) == 1
    assert leftover_metadata(clean.data, tmp_path, ".pdf") == []


def test_encrypted_pdf_refused():
    with pytest.raises(EvidenceError) as refused:
        sanitize("secret.pdf", pdf_with_metadata(encrypt=True))
    assert refused.value.code == "encrypted"


def test_broken_pdf_refused():
    with pytest.raises(EvidenceError) as refused:
        sanitize("broken.pdf", b"%PDF-1.7\n this is not a pdf at all")
    assert refused.value.code == "broken"


def test_sha256_and_size_are_of_stored_bytes():
    import hashlib

    clean = sanitize("a.jpg", jpeg_with_metadata())
    assert clean.size == len(clean.data)
    assert clean.sha256 == hashlib.sha256(clean.data).hexdigest()


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ivan\\Pictures\\IMG 1.jpg", "IMG 1.jpg"),
        ("evil\r\nContent-Type: text/html.jpg", "html.jpg"),
        ("\x00\x01", "evidence"),
        ("", "evidence"),
        (None, "evidence"),
        ("фота з участка.png", "фота з участка.png"),
        ("a" * 300 + ".jpeg", "a" * 195 + ".jpeg"),
    ],
)
def test_clean_name(raw, expected):
    assert clean_name(raw) == expected
    assert len(clean_name(raw)) <= 200


def test_exiftool_sees_the_metadata_in_the_test_files(tmp_path):
    """Guards the checks above: exiftool does find the planted metadata before cleaning."""
    for maker, suffix in (
        (jpeg_with_metadata, ".jpg"),
        (png_with_text, ".png"),
        (webp_with_metadata, ".webp"),
        (pdf_with_metadata, ".pdf"),
    ):
        leftovers = leftover_metadata(maker(), tmp_path, suffix)
        assert any("GPS" in key or "XMP" in key or "Author" in key for key in leftovers), suffix


def test_metadata_checks_fail_when_exiftool_is_missing(tmp_path, monkeypatch):
    monkeypatch.setitem(globals(), "EXIFTOOL", None)
    with pytest.raises(pytest.fail.Exception, match="exiftool is missing"):
        leftover_metadata(jpeg_with_metadata(), tmp_path, ".jpg")


ACTIVE_CONTENT = (b"/JavaScript", b"/JS", b"/OpenAction", b"/EmbeddedFile", b"/Launch", b"/URI")


def test_hostile_pdf_loses_scripts_actions_links_and_embedded_files(tmp_path):
    hostile = hostile_pdf()
    for marker in (*ACTIVE_CONTENT, b"/FileAttachment", b"tracker"):
        assert marker in hostile, marker  # the planted content is really there before
    clean = sanitize("protocol.pdf", hostile)
    for marker in (*ACTIVE_CONTENT, b"/AA", b"/Link", b"/FileAttachment", b"payload.exe"):
        assert marker not in clean.data, marker
    assert b"tracker" not in clean.data and b"MZ pretend" not in clean.data
    reader = PdfReader(io.BytesIO(clean.data))
    root = reader.trailer["/Root"]
    assert not {"/OpenAction", "/Names", "/AA", "/AcroForm"} & set(root)
    page = reader.pages[0]
    assert "/AA" not in page
    annotations = [a.get_object() for a in page.get("/Annots") or []]
    assert [a["/Subtype"] for a in annotations] == ["/Widget"]
    assert not {"/A", "/AA", "/Parent"} & set(annotations[0])
    # What the page shows is still there.
    assert "Protocol of the count" in page.extract_text()
    assert leftover_metadata(clean.data, tmp_path, ".pdf") == []
