"""Helpers for the OpenRosa tests: submissions as ODK Collect sends them, and media files with
the metadata phones write, all made here with ffmpeg (no binary fixtures)."""

from __future__ import annotations

import base64
import io
import subprocess
import uuid
from pathlib import Path
from xml.sax.saxutils import escape

from observer.openrosa import credentials


def basic(username: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}", "X-OpenRosa-Version": "1.0"}


def new_device(user, name="Phone"):
    issued = credentials.create_credential(user, name)
    return issued, basic(issued.username, issued.password)


VALID_ANSWERS = {
    "stage": "early_voting",
    "criterion": "EV-01",
    "occurred_on": "2024-02-21",
    "occurred_at": "10:30:00.000+03:00",
    "region_code": "BY-HM",
    "district": "",
    "severity": "3",
    "scope": "repeated",
    "source_type": "direct_observation",
    "title": "Students taken to vote early by bus",
    "narrative": "At 10:30 two buses brought about 60 students of the technical college to the "
    "polling station; a deputy director checked their names against a list.",
    "further_criteria": "",
    "settlement": "Minsk",
    "polling_station": "512",
    "constituency": "101",
    "actors": "",
    "people_affected": "60",
    "complaint_lodged": "no",
    "complaint_to": "",
    "complaint_outcome": "",
}


def instance_xml(
    form_id="observer-belarus-2024",
    version="any",
    instance_id=None,
    files=(),
    **answers,
) -> bytes:
    """The XML instance ODK Collect posts as xml_submission_file."""
    values = {**VALID_ANSWERS, **answers}
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    cells = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in values.items() if v is not None)
    evidence = "".join(
        f"<evidence><{kind}>{escape(name)}</{kind}></evidence>" for kind, name in files
    )
    return (
        f'<?xml version="1.0"?><data xmlns:jr="http://openrosa.org/javarosa" '
        f'xmlns:orx="http://openrosa.org/xforms" id="{form_id}" version="{version}">'
        f"{cells}{evidence}<meta><instanceID>{instance_id}</instanceID></meta></data>"
    ).encode()


def multipart(xml: bytes, **attachments: bytes) -> dict:
    data = {"xml_submission_file": (io.BytesIO(xml), "submission.xml", "text/xml")}
    for index, (name, content) in enumerate(attachments.items()):
        data[f"file{index}"] = (io.BytesIO(content), name, "application/octet-stream")
    return data


# --- media with the metadata phones write ------------------------------------------------------

LOCATION = "+53.9000+027.5667/"
PHONE_TAGS = {
    "location": LOCATION,
    "com.apple.quicktime.location.ISO6709": "+53.9000+027.5667+100.000/",
    "com.apple.quicktime.make": "Apple",
    "com.apple.quicktime.model": "iPhone 12",
    "com.apple.quicktime.creationdate": "2024-02-21T10:30:00+0300",
    "creation_time": "2024-02-21T10:30:00Z",
    "make": "Apple",
    "model": "iPhone 12",
    "artist": "Ivan Secret-Author",
    "date": "2024-02-21",
}
CODECS = {
    "mp4": ["-c:v", "libx264", "-c:a", "aac", "-movflags", "use_metadata_tags"],
    "mov": ["-c:v", "libx264", "-c:a", "aac", "-movflags", "use_metadata_tags"],
    "webm": ["-c:v", "libvpx", "-b:v", "200k", "-c:a", "libopus"],
    "m4a": ["-vn", "-c:a", "aac", "-movflags", "use_metadata_tags"],
    "mp3": ["-vn", "-c:a", "libmp3lame"],
    "ogg": ["-vn", "-c:a", "libvorbis"],
}


def media_file(tmp_path: Path, extension: str, seconds: float = 1.0) -> bytes:
    """A real recording of `extension` carrying location, device and date tags."""
    target = tmp_path / f"clip.{extension}"
    tags = []
    for key, value in PHONE_TAGS.items():
        tags += ["-metadata", f"{key}={value}"]
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=size=320x240:rate=10:duration={seconds}",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            *CODECS[extension],
            *tags,
            str(target),
        ],
        check=True,
        timeout=60,
    )
    if extension in ("mp4", "mov", "m4a"):
        # The QuickTime user-data atoms phones write (©xyz, ©mak, ©mod), which ffmpeg does not.
        subprocess.run(
            [
                "exiftool",
                "-overwrite_original",
                "-q",
                "-UserData:GPSCoordinates=53.9, 27.5667, 100",
                "-UserData:Make=Apple",
                "-UserData:Model=iPhone 12",
                str(target),
            ],
            check=True,
            timeout=60,
        )
    return target.read_bytes()


def exiftool_tags(tmp_path: Path, data: bytes, extension: str) -> dict[str, str]:
    path = tmp_path / f"check.{extension}"
    path.write_bytes(data)
    output = subprocess.run(
        ["exiftool", "-a", "-G1", "-s", str(path)], capture_output=True, text=True, check=True
    ).stdout
    tags = {}
    for line in output.splitlines():
        key, _sep, value = line.partition(":")
        tags[key.strip()] = value.strip()
    return tags
