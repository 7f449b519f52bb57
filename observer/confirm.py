"""Confirmation before destructive actions, with and without JavaScript.

A destructive form carries `data-confirm`; with JavaScript the browser asks and, when the user
agrees, the script adds `confirmed=yes` so the action happens at once. Without JavaScript the
form arrives without it and the view answers with a page that asks, whose button posts the same
form again with `confirmed=yes`. Either way the server acts only on a confirmed request."""

from __future__ import annotations

from flask import render_template, request

CONFIRMED_FIELD = "confirmed"


def is_confirmed() -> bool:
    return request.form.get(CONFIRMED_FIELD) == "yes"


def ask(question: str, button: str, cancel_url: str, details: str | None = None):
    """The confirmation page for the request's own action (same URL, same fields)."""
    fields = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in (CONFIRMED_FIELD, "csrf_token")
    ]
    return render_template(
        "confirm.html",
        question=question,
        details=details,
        button=button,
        action=request.path,
        fields=fields,
        cancel_url=cancel_url,
    )
