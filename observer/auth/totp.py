"""Time-based one-time passwords (RFC 6238) and the enrolment QR code. Pure: no Flask import."""

from __future__ import annotations

import base64
import io
import time

import pyotp
import qrcode
import qrcode.image.svg

ISSUER = "Observer"
VALID_WINDOW = 1  # accept the previous and next 30-second step for clock drift


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def matching_step(
    secret: str, code: str, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step the code belongs to, if valid and newer than last_step (no replay)."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now // totp.interval)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if totp.generate_otp(step) == code and (last_step is None or step > last_step):
            return step
    return None


def qr_svg_data_uri(uri: str) -> str:
    """The provisioning URI as an SVG QR code, made here (never by a third-party service)."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
