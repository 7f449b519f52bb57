"""Evidence files made safe to keep: type decided from the content, images re-encoded from their
pixels alone, PDFs rewritten without document metadata, scripts, actions, links or embedded
files. Pure: no Flask, no database.

A photo straight from a phone carries the GPS position where it was taken, the device's serial
number and often the owner's name; a PDF carries its author. For an observer in a country that
persecutes observers, that is the difference between anonymity and arrest, so nothing of the
original file except its visible content is kept.
"""

from __future__ import annotations

import hashlib
import io
import os
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

try:  # HEIC is what iPhones produce by default
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIF_SUPPORTED = True
except ImportError:  # pragma: no cover - a dependency, present in every install
    HEIF_SUPPORTED = False

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
HEIC = "image/heic"
PDF = "application/pdf"

# Stored media type and file extension for each accepted input type (HEIC is converted to JPEG:
# browsers cannot show it and coordinators need to).
STORED_AS = {JPEG: (JPEG, ".jpg"), PNG: (PNG, ".png"), WEBP: (WEBP, ".webp"), HEIC: (JPEG, ".jpg")}
STORED_AS[PDF] = (PDF, ".pdf")

# A 12-48 MP phone photo is far below this; a crafted "decompression bomb" is far above it.
MAX_PIXELS = 64_000_000
JPEG_QUALITY = 90
MAX_NAME_LENGTH = 200
HEIF_BRANDS = {
    b"heic",
    b"heix",
    b"hevc",
    b"hevx",
    b"heim",
    b"heis",
    b"hevm",
    b"hevs",
    b"mif1",
    b"msf1",
}


class EvidenceError(ValueError):
    """A file cannot be accepted. `code` says why (the caller words the message), `name` which."""

    def __init__(self, code: str, name: str):
        super().__init__(f"{code}: {name}")
        self.code = code
        self.name = name


@dataclass(frozen=True)
class CleanFile:
    name: str
    media_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sniff_type(data: bytes) -> str | None:
    """The media type the bytes really are, from their signature; None when not accepted."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
        return HEIC if HEIF_SUPPORTED else None
    if data.startswith(b"%PDF-"):
        return PDF
    return None


def clean_name(raw: str | None, fallback: str = "evidence") -> str:
    """A display name safe to store and to put in a download header: the last path component,
    without control characters, trimmed to MAX_NAME_LENGTH (keeping the extension)."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if not unicodedata.category(ch).startswith("C") or ch.isspace()
    )
    name = " ".join(name.split()).strip(" .")
    if not name:
        name = fallback
    if len(name) > MAX_NAME_LENGTH:
        stem, ext = os.path.splitext(name)
        ext = ext[:16]
        name = stem[: MAX_NAME_LENGTH - len(ext)] + ext
    return name


def with_extension(name: str, extension: str) -> str:
    stem, ext = os.path.splitext(name)
    if ext.lower() == extension or (extension == ".jpg" and ext.lower() == ".jpeg"):
        return name
    return clean_name(stem + extension)


def sanitize(raw_name: str | None, data: bytes) -> CleanFile:
    """Check and clean one uploaded file, or raise EvidenceError."""
    name = clean_name(raw_name)
    if not data:
        raise EvidenceError("empty", name)
    kind = sniff_type(data)
    if kind is None:
        raise EvidenceError("unsupported", name)
    media_type, extension = STORED_AS[kind]
    cleaned = clean_pdf(data, name) if kind == PDF else clean_image(data, name, media_type)
    return CleanFile(name=with_extension(name, extension), media_type=media_type, data=cleaned)


# --- images -------------------------------------------------------------------------------


def clean_image(data: bytes, name: str, media_type: str) -> bytes:
    try:
        # The size check below reads only the header; it refuses bombs before any decoding,
        # well under Pillow's own limit (which only warns below twice MAX_IMAGE_PIXELS).
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
            if width * height > MAX_PIXELS or width <= 0 or height <= 0:
                raise EvidenceError("too_many_pixels", name)
            opened.seek(0)  # animated images: the first frame is the evidence
            opened.load()
            upright = ImageOps.exif_transpose(opened)
            icc = opened.info.get("icc_profile")
    except EvidenceError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise EvidenceError("too_many_pixels", name) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, TypeError):
        raise EvidenceError("broken", name) from None
    except Exception:  # noqa: BLE001 - any decoder failure is a broken file to the observer
        raise EvidenceError("broken", name) from None

    pixels = _pixels_only(upright, icc, keep_alpha=media_type != JPEG)
    out = io.BytesIO()
    if media_type == JPEG:
        pixels.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    elif media_type == PNG:
        pixels.save(out, format="PNG", optimize=True)
    else:
        pixels.save(out, format="WEBP", quality=JPEG_QUALITY)
    return out.getvalue()


def _pixels_only(image: Image.Image, icc: bytes | None, *, keep_alpha: bool) -> Image.Image:
    """A brand-new image holding only the pixels: no EXIF, XMP, comments, text chunks or ICC.
    Colours are first converted to sRGB so dropping the profile does not shift them."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    mode = "RGBA" if keep_alpha and has_alpha else "RGB"
    if image.mode == "L" and not has_alpha:
        mode = "L"
    converted = image.convert(mode)
    if icc and mode in ("RGB", "RGBA"):
        converted = _to_srgb(converted, icc)
    return Image.frombytes(converted.mode, converted.size, converted.tobytes())


def _to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        target = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(image, source, target, outputMode=image.mode) or image
    except Exception:  # noqa: BLE001 - a broken profile only costs colour accuracy
        return image


# --- PDF ----------------------------------------------------------------------------------

# Per-object keys that carry authorship, software or editing history rather than content.
_PAGE_METADATA_KEYS = ("/Metadata", "/PieceInfo", "/LastModified")
_ANNOTATION_METADATA_KEYS = ("/T", "/M", "/CreationDate", "/Metadata")
# Keys that make a viewer do something: run JavaScript, open a file or a web address (which
# reveals the coordinator's address to whoever planted it), play media, or carry a file.
_PAGE_ACTIVE_KEYS = ("/AA", "/AF")
_ANNOTATION_ACTIVE_KEYS = ("/A", "/AA", "/AF", "/FS", "/PA")
# Annotations that exist to act or to carry something rather than to show the page's content:
# removed whole. Other annotations (comments, highlights, form widgets) keep their appearance.
_ACTIVE_ANNOTATIONS = {
    "/Link",
    "/FileAttachment",
    "/Sound",
    "/Movie",
    "/Screen",
    "/RichMedia",
    "/3D",
}


def clean_pdf(data: bytes, name: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise EvidenceError("encrypted", name)
        if len(reader.pages) == 0:
            raise EvidenceError("broken", name)
        # Only the pages are copied: the document catalog (with its open action, document
        # JavaScript, embedded files and form scripts) stays behind.
        # Pages are cleaned before they are copied, so what is removed is never copied.
        writer = PdfWriter()
        for page in reader.pages:
            _clean_page(page)
            writer.add_page(page)
        # A fresh writer has none of these, but say so explicitly: the catalog carries only
        # the pages.
        for key in ("/Metadata", "/OpenAction", "/AA", "/Names", "/AcroForm", "/URI"):
            writer._root_object.pop(NameObject(key), None)
        writer.metadata = None  # drops the /Info dictionary (author, creator, producer, dates)
        # Anything still copied but no longer referenced from the pages is not written.
        writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except EvidenceError:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on damaged files
        raise EvidenceError("broken", name) from None


def _clean_page(page) -> None:
    from pypdf.generic import NameObject

    for key in (*_PAGE_METADATA_KEYS, *_PAGE_ACTIVE_KEYS):
        page.pop(NameObject(key), None)
    annotations = page.get("/Annots")
    if annotations is None:
        return
    kept = []
    for reference in annotations.get_object():
        annotation = reference.get_object()
        if annotation.get("/Subtype") in _ACTIVE_ANNOTATIONS:
            continue
        for key in (*_ANNOTATION_METADATA_KEYS, *_ANNOTATION_ACTIVE_KEYS):
            annotation.pop(NameObject(key), None)
        if annotation.get("/Subtype") == "/Widget":
            # A widget's field (its parent) may hold the field's scripts; its look is its own.
            annotation.pop(NameObject("/Parent"), None)
        kept.append(reference)
    if kept:
        annotations = annotations.get_object()
        del annotations[:]
        annotations.extend(kept)
    else:
        page.pop(NameObject("/Annots"), None)
