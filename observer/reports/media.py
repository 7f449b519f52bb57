"""Video and audio evidence made safe to keep: the container is checked against what its first
bytes claim, every metadata atom and tag is dropped and the streams are copied into a fresh
container (no re-encoding, so nothing of the evidence's picture or sound changes), and a video
gets a still frame to show before it plays. Uses Debian's ffmpeg/ffprobe; no Flask, no database.

A phone writes where and when a video was taken, and on which device, into the container:
QuickTime `©xyz` and `com.apple.quicktime.location.ISO6709`, make and model keys, creation
dates, and iPhones add a timed-metadata track with the position along the way. Only the video
and audio streams are copied, without any metadata, chapters, data tracks or cover pictures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass

from observer.reports.sanitize import JPEG, CleanFile, EvidenceError, clean_image, with_extension

MP4 = "video/mp4"
MOV = "video/quicktime"
WEBM = "video/webm"
M4A = "audio/mp4"
MP3 = "audio/mpeg"
OGG = "audio/ogg"
MEDIA_TYPES = (MP4, MOV, WEBM, M4A, MP3, OGG)

FFMPEG_TIMEOUT_SECONDS = 120
POSTER_WIDTH = 640
AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P "}
QUICKTIME_BRANDS = {b"qt  "}


@dataclass(frozen=True)
class Container:
    """How ffmpeg names the container, which file extension and muxer we write."""

    formats: frozenset[str]  # ffprobe's format_name parts that match the signature
    extension: str
    muxer: str


CONTAINERS = {
    MP4: Container(frozenset({"mp4", "mov", "m4a", "3gp", "3g2", "mj2"}), ".mp4", "mp4"),
    MOV: Container(frozenset({"mov", "mp4", "m4a"}), ".mov", "mov"),
    M4A: Container(frozenset({"mov", "mp4", "m4a"}), ".m4a", "ipod"),
    WEBM: Container(frozenset({"matroska", "webm"}), ".webm", "webm"),
    MP3: Container(frozenset({"mp3"}), ".mp3", "mp3"),
    OGG: Container(frozenset({"ogg"}), ".ogg", "ogg"),
}


def sniff_media(data: bytes) -> str | None:
    """The container the first bytes announce; None when it is not one we accept."""
    if len(data) >= 12 and data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in AUDIO_BRANDS:
            return M4A
        if brand in QUICKTIME_BRANDS:
            return MOV
        return MP4
    if data.startswith(b"\x1a\x45\xdf\xa3"):
        return WEBM
    if data.startswith(b"OggS"):
        return OGG
    if data.startswith(b"ID3") or (len(data) >= 2 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return MP3
    return None


def is_available() -> bool:
    return shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None


def _run(args: list[str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed argument lists, no shell
        args, capture_output=True, timeout=FFMPEG_TIMEOUT_SECONDS, check=False
    )


def _probe(path: str) -> tuple[set[str], set[str]] | None:
    """(container format names, stream types) as ffprobe reads them; None if unreadable."""
    result = _run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=format_name:stream=codec_type",
            "-of",
            "json",
            path,
        ]
    )
    if result.returncode != 0:
        return None
    try:
        info = json.loads(result.stdout or b"{}")
        formats = set((info.get("format") or {}).get("format_name", "").split(","))
        streams = {s.get("codec_type") for s in info.get("streams") or []}
    except (ValueError, AttributeError):
        return None
    return formats - {""}, streams - {None}


def clean_media(name: str, data: bytes, announced: str) -> CleanFile:
    """Check and clean one video or audio file, or raise EvidenceError."""
    if not is_available():
        raise EvidenceError("unsupported", name)
    container = CONTAINERS[announced]
    workdir = tempfile.mkdtemp(prefix="observer-media-")
    try:
        source = os.path.join(workdir, "in")
        with open(source, "wb") as handle:
            handle.write(data)
        probed = _probe(source)
        if probed is None:
            raise EvidenceError("broken", name)
        formats, streams = probed
        has_video, has_audio = "video" in streams, "audio" in streams
        # A container that lies about its type (an MP3 header on something else, an ftyp box
        # in front of a WebM...) is refused rather than guessed at.
        if not formats & container.formats or not (has_video or has_audio):
            raise EvidenceError("broken", name)
        media_type = announced
        if announced in (MP4, MOV, WEBM) and not has_video:
            media_type = {MP4: M4A, MOV: M4A, WEBM: "audio/webm"}[announced]
            container = CONTAINERS.get(media_type, container)
            if media_type == "audio/webm":
                container = Container(container.formats, ".webm", "webm")
        if announced in (MP3, OGG) and has_video:
            has_video = False  # an MP3's cover picture or an Ogg's Theora track is not kept
        target = os.path.join(workdir, "out" + container.extension)
        if not _remux(source, target, container, has_video, has_audio):
            raise EvidenceError("broken", name)
        with open(target, "rb") as handle:
            cleaned = handle.read()
        poster = _poster(target, workdir, name) if has_video else None
    except subprocess.TimeoutExpired:
        raise EvidenceError("broken", name) from None
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return CleanFile(
        name=with_extension(name, container.extension),
        media_type=media_type,
        data=cleaned,
        poster=poster,
    )


def _remux(source: str, target: str, container: Container, video: bool, audio: bool) -> bool:
    maps = []
    if video:
        maps += ["-map", "0:v:0"]
    if audio:
        maps += ["-map", "0:a:0"]
    args = [
        "ffmpeg",
        "-nostdin",
        "-v",
        "error",
        "-y",
        "-i",
        source,
        *maps,
        "-map_metadata",
        "-1",
        "-map_metadata:s",
        "-1",
        "-map_chapters",
        "-1",
        "-c",
        "copy",
        "-fflags",
        "+bitexact",
        "-flags:v",
        "+bitexact",
        "-flags:a",
        "+bitexact",
    ]
    if container.muxer in ("mp4", "mov", "ipod"):
        args += ["-movflags", "+faststart"]
    if container.muxer == "mp3":
        args += ["-id3v2_version", "0", "-write_id3v1", "0", "-write_xing", "0"]
    args += ["-f", container.muxer, target]
    result = _run(args)
    return result.returncode == 0 and os.path.getsize(target) > 0


def _poster(video: str, workdir: str, name: str) -> bytes | None:
    """A JPEG still from the first second, re-encoded from its pixels like any photo."""
    still = os.path.join(workdir, "poster.jpg")
    result = _run(
        [
            "ffmpeg",
            "-nostdin",
            "-v",
            "error",
            "-y",
            "-ss",
            "0",
            "-i",
            video,
            "-frames:v",
            "1",
            "-vf",
            f"scale='min({POSTER_WIDTH},iw)':-2",
            "-map_metadata",
            "-1",
            "-f",
            "image2",
            "-c:v",
            "mjpeg",
            still,
        ]
    )
    if result.returncode != 0 or not os.path.exists(still):
        return None
    with open(still, "rb") as handle:
        raw = handle.read()
    try:
        return clean_image(raw, name, JPEG)
    except EvidenceError:
        return None


# --- size limits ------------------------------------------------------------------------------


def size_limit_mb(config, data: bytes) -> int:
    """The per-file limit for these bytes: video and audio have limits of their own."""
    kind = sniff_media(data) if not data.startswith(b"\xff\xd8") else None
    if kind in (MP4, MOV, WEBM):
        return int(config["MAX_VIDEO_MB"])
    if kind in (M4A, MP3, OGG):
        return int(config["MAX_AUDIO_MB"])
    return int(config["MAX_FILE_MB"])


def largest_limit_bytes(config) -> int:
    largest = max(int(config[key]) for key in ("MAX_FILE_MB", "MAX_VIDEO_MB", "MAX_AUDIO_MB"))
    return largest * 1024 * 1024
