"""Configuration: defaults here, overrides from OBSERVER_* environment variables, then the
mapping passed to create_app. Nothing is read at import time."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

ENV_PREFIX = "OBSERVER_"


def defaults(instance_path: str) -> dict[str, Any]:
    return {
        "SECRET_KEY": None,
        "DATABASE_URL": "sqlite:///" + os.path.join(instance_path, "observer.sqlite"),
        "RATELIMIT_STORAGE_URI": "memory://",
        # Sign-in attempts per client address and account; every address together may make
        # LOGIN_ADDRESS_RATE_LIMIT, generous because many observers share a Tor exit or a NAT.
        "LOGIN_RATE_LIMIT": "10 per minute",
        "LOGIN_ADDRESS_RATE_LIMIT": "300 per minute",
        "SESSION_IDLE_MINUTES": 30,
        # A sign-in lasts at most this long, however active (the server forgets older ones).
        "SESSION_MAX_HOURS": 7 * 24,
        # After LOCKOUT_THRESHOLD failures a browser that never signed in to the account is
        # refused for LOCKOUT_FIRST_MINUTES, doubling with each further lockout up to
        # LOCKOUT_MAX_MINUTES. A browser that has signed in to it before has its own count.
        "LOCKOUT_THRESHOLD": 5,
        "LOCKOUT_FIRST_MINUTES": 1,
        "LOCKOUT_MAX_MINUTES": 30,
        "KNOWN_BROWSER_DAYS": 365,
        # Links sent out of the app (set-password, the Atom feed) start with PUBLIC_URL (or
        # ONION_URL for a request that came to the onion host); in production these are the
        # only host names served.
        "PUBLIC_URL": "",
        "ONION_URL": "",
        "ALLOWED_HOSTS": [],
        # How many reverse proxies in front of the app add X-Forwarded-For / -Proto (0: none).
        "PROXY_COUNT": 0,
        "REAUTH_MINUTES": 15,
        # A coordinator's hold on a report in review lapses after this long without a decision.
        "REVIEW_HOLD_MINUTES": 15,
        "SET_PASSWORD_LINK_HOURS": 72,
        # Background jobs: RQ on this Redis (production); empty runs them in the web process.
        "JOBS_REDIS_URL": "",
        "JOBS_QUEUE_NAME": "observer-jobs",
        "JOBS_TIMEOUT_SECONDS": 4 * 3600,
        "MAX_FILE_MB": 15,
        "MAX_REQUEST_MB": 60,
        "MAX_VIDEO_MB": 50,
        "MAX_AUDIO_MB": 20,
        # Per device credential (ODK Collect / Tella), counted in RATELIMIT_STORAGE_URI.
        "OPENROSA_RATE_LIMIT": "30 per minute; 300 per hour",
        # The mission's name in each interface language (public pages, PDFs, feed).
        "MISSION_NAME": "Human Rights Defenders for Free Elections — expert mission",
        "MISSION_NAME_BE": "Праваабаронцы за свабодныя выбары — экспертная місія",
        "MISSION_NAME_RU": "Правозащитники за свободные выборы — экспертная миссия",
        # Incident counts for districts below this are shown as "fewer than N" in public.
        "SMALL_CELL_THRESHOLD": 3,
        # The mission's private signing key (flask keys init); default: instance/keys/.
        "SIGNING_KEY_PATH": "",
        "PRODUCTION": False,
        "TESTING": False,
        "BABEL_DEFAULT_LOCALE": "en",
        "LANGUAGES": ["en", "be", "ru"],
    }


def mission_name(config, language: str) -> str:
    """The mission's name in `language`, falling back to the English MISSION_NAME."""
    return config.get(f"MISSION_NAME_{language.upper()}") or config["MISSION_NAME"]


def _coerce(raw: str, like: Any) -> Any:
    if isinstance(like, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(like, int):
        return int(raw)
    if isinstance(like, list):
        return json.loads(raw) if raw.strip().startswith("[") else raw.split(",")
    return raw


def from_environment(base: dict[str, Any], environ: os._Environ | dict) -> dict[str, Any]:
    """OBSERVER_X=... overrides X (typed like its default); unknown OBSERVER_ names are kept too."""
    merged = dict(base)
    for name, raw in environ.items():
        if name.startswith(ENV_PREFIX):
            key = name[len(ENV_PREFIX) :]
            merged[key] = _coerce(raw, base.get(key, ""))
    return merged


def finalise(config: dict[str, Any]) -> dict[str, Any]:
    """Derive Flask's own settings from ours."""
    out = dict(config)
    out["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(out["DATABASE_URL"])
    out.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    out["RATELIMIT_STORAGE_URI"] = out["RATELIMIT_STORAGE_URI"]
    out["RATELIMIT_HEADERS_ENABLED"] = False
    out["MAX_CONTENT_LENGTH"] = int(out["MAX_REQUEST_MB"]) * 1024 * 1024
    # The server ends an idle session itself (security.expire_idle_session, by its activity
    # stamp). The cookie outlives that by a day so that a form sent after the limit still names
    # its account and can be kept for it (safekeeping/kept_forms.py) instead of being lost
    # because the browser had silently dropped the cookie; an idle cookie signs nobody in.
    out["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=int(out["SESSION_IDLE_MINUTES"]), days=1)
    out["SESSION_COOKIE_HTTPONLY"] = True
    out["SESSION_COOKIE_SAMESITE"] = "Lax"
    out["SESSION_COOKIE_SECURE"] = bool(out["PRODUCTION"])
    out["REMEMBER_COOKIE_DURATION"] = timedelta(seconds=0)
    out["SESSION_COOKIE_NAME"] = "observer_session"
    # Send the cookie only when the session changed (the activity stamp renews it). Refreshing
    # it on every response let a slow stylesheet answer with an older copy of the session than
    # the page it belonged to, undoing what the page had just stored (two-factor enrolment).
    out["SESSION_REFRESH_EACH_REQUEST"] = False
    out["WTF_CSRF_TIME_LIMIT"] = None  # the session's own expiry bounds the token
    # Flask-WTF's extra check on https wants a same-site Referer, which our Referrer-Policy
    # (no-referrer) and privacy browsers never send: every form behind the TLS proxy would be
    # refused. The session-bound token and the SameSite=Lax cookie are the CSRF defence.
    out["WTF_CSRF_SSL_STRICT"] = False
    out.setdefault("WTF_CSRF_ENABLED", True)
    out["BABEL_TRANSLATION_DIRECTORIES"] = "translations"
    out["TRUSTED_HOSTS"] = trusted_hosts(out) if out["PRODUCTION"] else None
    return out


def public_urls(config) -> list[str]:
    """The configured public base URLs, canonical first, without a trailing slash."""
    return [url.rstrip("/") for url in (config["PUBLIC_URL"], config["ONION_URL"]) if url]


def trusted_hosts(config) -> list[str]:
    """Host names a production instance answers to: its public URLs' and ALLOWED_HOSTS."""
    hosts = [urlsplit(url).netloc for url in public_urls(config)]
    return [h for h in [*hosts, *config["ALLOWED_HOSTS"]] if h]


def _normalise_db_url(url: str) -> str:
    # Operators paste libpq-style URLs; SQLAlchemy needs the psycopg 3 driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
