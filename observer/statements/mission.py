"""The mission's cover details (place, contact) and its logo, cleaned like evidence."""

from __future__ import annotations

import hashlib
import io

from flask_babel import lazy_gettext as _l
from PIL import Image

from observer.extensions import db
from observer.models import MissionProfile
from observer.reports.sanitize import JPEG, PNG, EvidenceError, sanitize
from observer.statements.service import StatementError, mission_profile

MAX_LOGO_BYTES = 2 * 1024 * 1024


def clean_logo(name: str | None, data: bytes) -> tuple[bytes, str]:
    """(PNG or JPEG bytes without metadata, media type), or StatementError saying why not."""
    if len(data) > MAX_LOGO_BYTES:
        raise StatementError(_l("The logo is larger than 2 MB."))
    try:
        clean = sanitize(name, data)
    except EvidenceError as error:
        raise StatementError(
            _l("The logo is not an image this site can use (PNG or JPEG).")
        ) from error
    if clean.media_type in (PNG, JPEG):
        return clean.data, clean.media_type
    if not clean.media_type.startswith("image/"):
        raise StatementError(_l("The logo is not an image this site can use (PNG or JPEG)."))
    with Image.open(io.BytesIO(clean.data)) as image:  # WebP: PDFs embed PNG or JPEG only
        out = io.BytesIO()
        image.save(out, format="PNG")
    return out.getvalue(), PNG


def save_profile(places: dict[str, str], contact: str, logo=None, remove_logo=False):
    profile = mission_profile()
    if profile is None:
        profile = MissionProfile(place_en="", place_be="", place_ru="", contact="")
        db.session.add(profile)
    if logo is not None:
        name, data = logo
        cleaned, media_type = clean_logo(name, data)
        profile.logo, profile.logo_media_type = cleaned, media_type
        profile.logo_sha256 = hashlib.sha256(cleaned).hexdigest()
    elif remove_logo:
        profile.logo = profile.logo_media_type = profile.logo_sha256 = None
    profile.place_en = places.get("en", "").strip()
    profile.place_be = places.get("be", "").strip()
    profile.place_ru = places.get("ru", "").strip()
    profile.contact = contact.strip()
    db.session.flush()
    return profile
