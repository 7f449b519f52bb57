"""A job's page (progress, then the download), its status for the page's script, and the
download itself: for the person who started the job only, every download in the security log."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from observer.audit.service import log_security_event
from observer.auth.access import access
from observer.errors import render_error
from observer.extensions import db
from observer.jobs import service
from observer.jobs.messages import failure_message
from observer.models import Job, JobStatus

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _own_job(public_id: str) -> Job | None:
    return service.job_of_owner(public_id, current_user.id)


def _not_found():
    return render_error(
        404,
        _(
            "There is no export of yours at this address. Links to exports work only for the "
            "person who started them."
        ),
    )


def _expired():
    return render_error(
        410,
        _("This export's file was deleted: files are kept for 24 hours. Start the export again."),
    )


@bp.get("/<public_id>")
@access("signed_in")
def detail(public_id: str):
    job = _own_job(public_id)
    if job is None:
        return _not_found()
    if service.is_expired(job):
        return _expired()
    status = service.shown_status(job)
    return render_template(
        "jobs/detail.html",
        job=job,
        status=status,
        percent=service.percent(job),
        failure=failure_message(service.shown_error(job)) if status == JobStatus.FAILED else None,
    )


@bp.get("/<public_id>/status")
@access("signed_in")
def status(public_id: str):
    job = _own_job(public_id)
    if job is None:
        return jsonify({"error": "not_found"}), 404
    if service.is_expired(job):
        return jsonify({"error": "expired"}), 410
    shown = service.shown_status(job)
    return jsonify(
        {
            "status": shown,
            "done": job.done,
            "total": job.total,
            "percent": service.percent(job),
            "page": url_for("jobs.detail", public_id=job.public_id),
        }
    )


@bp.get("/<public_id>/download")
@access("signed_in")
def download(public_id: str):
    job = _own_job(public_id)
    if job is None:
        return _not_found()
    if service.is_expired(job):
        return _expired()
    if job.status != JobStatus.DONE:
        return render_error(409, _("This export is not finished yet: its file is not ready."))
    log_security_event(
        "export_downloaded",
        actor_id=current_user.id,
        details={
            "job": job.public_id,
            "kind": job.kind,
            "params": job.params,
            "rows": job.total,
            "bytes": job.size,
            "sha256": job.sha256,
        },
    )
    db.session.commit()
    job = db.session.get(Job, job.id)
    response = Response(stream_with_context(service.file_chunks(job)), mimetype=job.media_type)
    response.headers["Content-Length"] = str(job.size)
    response.headers["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response
