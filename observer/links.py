"""Absolute links that leave the app (set-password links, the Atom feed).

They are built from the configured public URL, never from the request's Host header: a forged
Host would otherwise put an attacker's address in front of a one-time token. A request that came
to the onion host gets onion links, so nothing assumes one host name."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request, url_for

from observer.config import public_urls


def public_base_url(canonical: bool = False) -> str:
    bases = public_urls(current_app.config)
    if not bases:
        # Development without OBSERVER_PUBLIC_URL: the address the developer typed.
        return request.url_root.rstrip("/")
    for base in [] if canonical else bases:
        if urlsplit(base).netloc == request.host:
            return base
    return bases[0]


def external_url(endpoint: str, canonical: bool = False, **values) -> str:
    """url_for(endpoint) under the public base URL (which may itself have a path prefix).
    `canonical` always takes PUBLIC_URL: for identifiers such as the Atom ids."""
    path = url_for(endpoint, **values)
    script_root = request.script_root
    if script_root and path.startswith(script_root):
        path = path[len(script_root) :]
    return public_base_url(canonical) + path
