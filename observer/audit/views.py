"""The security log page: sign-ins, lockouts and account changes, newest first. Admins only."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from observer.audit.words import detail_label, event_label
from observer.auth.access import access
from observer.extensions import db
from observer.models import AuditLog

bp = Blueprint("audit", __name__, url_prefix="/admin/security-log")

PAGE_SIZE = 50


def known_events() -> list[str]:
    return list(
        db.session.execute(select(AuditLog.event).distinct().order_by(AuditLog.event)).scalars()
    )


@bp.get("/")
@access("admin")
def security_log():
    event = request.args.get("event", "").strip()[:48]
    before = request.args.get("before", type=int)
    query = (
        select(AuditLog)
        .options(joinedload(AuditLog.actor), joinedload(AuditLog.subject))
        .order_by(AuditLog.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    if event:
        query = query.where(AuditLog.event == event)
    if before:
        query = query.where(AuditLog.id < before)
    entries = list(db.session.execute(query).scalars())
    next_url = None
    if len(entries) > PAGE_SIZE:
        entries = entries[:PAGE_SIZE]
        next_url = url_for("audit.security_log", before=entries[-1].id, event=event or None)
    return render_template(
        "audit/security_log.html",
        entries=entries,
        events=known_events(),
        event=event,
        next_url=next_url,
        event_label=event_label,
        detail_label=detail_label,
    )
