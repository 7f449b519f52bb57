"""Video and audio evidence: real recordings made with ffmpeg carrying the location, device and
date tags phones write; after cleaning, exiftool finds none of them, the streams are copied (not
re-encoded), a video has a still frame, and staff alone play it in the page."""

from __future__ import annotations

import re
import subprocess

import pytest

from observer.reports import media, storage
from observer.reports.sanitize import EvidenceError, sanitize
from tests.factories_openrosa import exiftool_tags, media_file
from tests.factories_reports import form_data

# ffmpeg and exiftool are system test dependencies (make system-test-deps, .ci/run): a missing
# one fails these tests rather than skipping them.

LEAKS = re.compile(r"gps|locat|6709|make|model|artist|author|software|encoder|serial|device", re.I)
DATE_TAGS = re.compile(r"date|creation|recorded", re.I)
EXPECTED = {
    "mp4": "video/mp4",
    "mov": "video/quicktime",
    "webm": "video/webm",
    "m4a": "audio/mp4",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
}


def leaked(tags: dict[str, str]) -> dict[str, str]:
    """Tags that say where, with what or when (file-system times are exiftool's own)."""
    found = {}
    for key, value in tags.items():
        group, _sep, name = key.partition("]")
        if group in ("[System", "[ExifTool", "[File") or "Handler" in name:
            continue
        zero_date = not value.strip("0: ")
        if LEAKS.search(name) or DATE_TAGS.search(name) and not zero_date:
            found[key] = value
    return found


def codecs(tmp_path, data: bytes) -> list[str]:
    path = tmp_path / "probe"
    path.write_bytes(data)
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "stream=codec_name",
            "-of",
            "csv=p=0",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted(line.strip() for line in out.splitlines() if line.strip())


@pytest.mark.parametrize("extension", sorted(EXPECTED))
def test_phone_metadata_is_removed_and_streams_are_copied(tmp_path, extension):
    original = media_file(tmp_path, extension)
    before = exiftool_tags(tmp_path, original, extension)
    assert leaked(before), "the test file must carry metadata to remove"
    clean = sanitize(f"clip.{extension}", original)
    assert clean.media_type == EXPECTED[extension]
    after = exiftool_tags(tmp_path, clean.data, extension)
    assert leaked(after) == {}
    assert b"53.9000" not in clean.data and b"iPhone" not in clean.data
    assert b"Ivan Secret-Author" not in clean.data
    assert codecs(tmp_path, clean.data) == [
        c
        for c in codecs(tmp_path, original)
        if extension not in ("mp3", "ogg", "m4a") or c != "h264"
    ]


def test_quicktime_location_atoms_are_gone_byte_for_byte(tmp_path):
    original = media_file(tmp_path, "mov")
    assert b"com.apple.quicktime.location.ISO6709" in original and b"\xa9xyz" in original
    clean = sanitize("IMG_0001.MOV", original).data
    for atom in (b"com.apple.quicktime", b"\xa9xyz", b"\xa9day", b"udta", b"meta"):
        assert atom not in clean, atom


def test_a_video_gets_a_still_frame_without_metadata(tmp_path):
    clean = sanitize("clip.mp4", media_file(tmp_path, "mp4"))
    assert clean.poster is not None and clean.poster.startswith(b"\xff\xd8")
    assert leaked(exiftool_tags(tmp_path, clean.poster, "jpg")) == {}


def test_audio_has_no_still_frame(tmp_path):
    assert sanitize("memo.m4a", media_file(tmp_path, "m4a")).poster is None


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x00\x00\x18ftypisom" + b"\x00" * 2000,  # an MP4 header on nothing
        b"\x1a\x45\xdf\xa3" + b"garbage" * 300,  # EBML magic, not a WebM
        b"OggS" + b"\x00" * 500,
        b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"not audio" * 100,
    ],
    ids=["fake-mp4", "fake-webm", "fake-ogg", "fake-mp3"],
)
def test_a_container_that_lies_is_refused(data):
    with pytest.raises(EvidenceError) as refused:
        sanitize("clip", data)
    assert refused.value.code == "broken"


def test_a_webm_behind_an_mp4_header_is_refused(tmp_path):
    webm = media_file(tmp_path, "webm")
    with pytest.raises(EvidenceError):
        sanitize("clip.mp4", b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + webm)


def test_video_has_its_own_size_limit(app):
    config = {"MAX_FILE_MB": 15, "MAX_VIDEO_MB": 50, "MAX_AUDIO_MB": 20}
    assert media.size_limit_mb(config, b"\x00\x00\x00\x18ftypisom") == 50
    assert media.size_limit_mb(config, b"ID3\x04") == 20
    assert media.size_limit_mb(config, b"\xff\xd8\xff\xe0") == 15


# --- on the web form and the review page ------------------------------------------------


def _file_with_video(client, tmp_path):
    import io

    data = form_data(submit_report="Submit")
    data["evidence"] = [(io.BytesIO(media_file(tmp_path, "mov")), "IMG_0001.MOV")]
    return client.post("/reports/new", data=data, content_type="multipart/form-data")


def test_a_video_filed_on_the_web_form_is_cleaned(client, catalog, make_user, login_as, tmp_path):
    login_as(make_user("observer"))
    response = _file_with_video(client, tmp_path)
    assert response.status_code == 302
    from sqlalchemy import select

    from observer.extensions import db
    from observer.models import Attachment

    attachment = db.session.execute(select(Attachment)).scalar_one()
    assert attachment.media_type == "video/quicktime"
    assert b"com.apple.quicktime" not in storage.read_bytes(attachment)


def test_a_too_large_video_is_refused_with_its_own_limit(
    make_app, db, catalog, make_user, tmp_path
):
    app = make_app(MAX_VIDEO_MB=0)
    client = app.test_client()
    from tests.conftest import login

    login(client, make_user("observer"))
    response = _file_with_video(client, tmp_path)
    assert response.status_code == 422
    assert "larger than the 0 MB limit" in response.get_data(as_text=True)


def test_staff_play_the_video_with_its_still_frame_and_nobody_else_gets_it(
    client, app, catalog, make_user, login_as, tmp_path
):
    author = make_user("observer")
    login_as(author)
    _file_with_video(client, tmp_path)
    from sqlalchemy import select

    from observer.extensions import db
    from observer.models import Attachment

    attachment = db.session.execute(select(Attachment)).scalar_one()
    report_id = attachment.report_id
    base = f"/reports/{report_id}/evidence/{attachment.id}"

    staff = login_as(make_user("coordinator"), app.test_client())
    page = staff.get(f"/review/{report_id}").get_data(as_text=True)
    assert f'<video controls preload="none" poster="{base}/poster"' in page
    assert f'src="{base}/preview"' in page
    played = staff.get(f"{base}/preview")
    assert played.status_code == 200 and played.mimetype == "video/quicktime"
    assert played.headers["X-Content-Type-Options"] == "nosniff"
    poster = staff.get(f"{base}/poster")
    assert poster.status_code == 200 and poster.mimetype == "image/jpeg"

    other = login_as(make_user("observer"), app.test_client())
    for suffix in ("", "/preview", "/poster"):
        assert other.get(base + suffix).status_code in (403, 404)
    anonymous = app.test_client()
    for suffix in ("", "/preview", "/poster"):
        assert anonymous.get(base + suffix).status_code == 302


def test_video_and_audio_sent_from_odk_collect_are_cleaned(client, catalog, make_user, tmp_path):
    from sqlalchemy import select

    from observer.extensions import db
    from observer.models import Attachment
    from tests.factories_openrosa import instance_xml, new_device
    from tests.test_openrosa import submit

    _issued, headers = new_device(make_user("observer"))
    video, audio = media_file(tmp_path, "mp4"), media_file(tmp_path, "ogg")
    xml = instance_xml(files=[("video", "1708.mp4"), ("audio", "1709.ogg")])
    response = submit(client, headers, xml, **{"1708.mp4": video, "1709.ogg": audio})
    assert response.status_code == 201, response.data
    stored = db.session.execute(select(Attachment).order_by(Attachment.id)).scalars().all()
    assert [a.media_type for a in stored] == ["video/mp4", "audio/ogg"]
    for attachment, extension in zip(stored, ("mp4", "ogg"), strict=True):
        assert leaked(exiftool_tags(tmp_path, storage.read_bytes(attachment), extension)) == {}
