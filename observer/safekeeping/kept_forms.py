"""Work posted after an idle sign-out is kept, not lost.

When a session has expired, the request that finds out is often the one carrying an hour of
typing: a report (with its photos), a coordinator's decision note, a statement draft. The
expired session still names its account, so before signing out, `keep_posted_form` stores
what was posted (files already cleaned, into kept_evidence) for that account alone, for a day.
After the person signs in again (password, and the code for staff), `url_after_sign_in` sends
them to the page of that form with `?kept=<token>`, and the form's view fills itself from
`formdata(endpoint)`: nothing was saved, nothing is lost, a message says what happened."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import abort, flash, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from observer.extensions import db
from observer.models import KeptForm, utcnow

log = logging.getLogger(__name__)

KEEP_FOR = timedelta(days=1)
PARAMETER = "kept"
# Fields never kept: the CSRF token belongs to the old session.
NOT_KEPT = {"csrf_token"}


@dataclass(frozen=True)
class Keepable:
    """A form worth keeping: where it is shown again (endpoint and which URL arguments), and
    whether it carries evidence files."""

    page: str
    page_args: tuple[str, ...] = ()
    files: str | None = None


KEEPABLE = {
    "reports.new": Keepable("reports.new", files="evidence"),
    "reports.edit": Keepable("reports.edit", ("report_id",), files="evidence"),
    "review.decide": Keepable("review.detail", ("report_id",)),
    "review.comment": Keepable("review.detail", ("report_id",)),
    "statements.new": Keepable("statements.new"),
    "statements.edit": Keepable("statements.edit", ("statement_id",)),
}


def keep_posted_form(user_id: int) -> KeptForm | None:
    """Called as an expired session is ended: keep this request's form, if it is one worth
    keeping. Never raises: failing to keep must not turn a sign-out into an error page."""
    keepable = KEEPABLE.get(request.endpoint or "")
    if request.method != "POST" or keepable is None:
        return None
    try:
        fields = [
            [name, value]
            for name, value in request.form.items(multi=True)
            if name not in NOT_KEPT and isinstance(value, str)
        ]
        if keepable.files:
            tokens = _keep_files(user_id, request.files.getlist(keepable.files))
            fields += [["kept_evidence", token] for token in tokens]
        args = {name: (request.view_args or {}).get(name) for name in keepable.page_args}
        kept = KeptForm(
            token=secrets.token_urlsafe(32),
            owner_id=user_id,
            endpoint=keepable.page,
            path=url_for(keepable.page, **args),
            fields=fields,
        )
        db.session.execute(delete(KeptForm).where(KeptForm.created_at < utcnow() - KEEP_FOR))
        db.session.add(kept)
        db.session.commit()
    except HTTPException:  # a request too large to read: nothing of it can be kept
        db.session.rollback()
        return None
    except Exception:
        db.session.rollback()
        log.exception("could not keep a form posted after the session expired")
        return None
    return kept


def tell_kept() -> None:
    """The sign-in page's message when a form was kept (flashed after the session is cleared)."""
    flash(
        _(
            "What you were sending was not saved, but it is kept for you: sign in again and "
            "it will be back on the form."
        ),
        "info",
    )


def _keep_files(user_id: int, file_storages) -> list[str]:
    """Clean the files (as saving would) and keep them for their owner; their tokens go into
    the kept form as the report form's kept_evidence fields."""
    from observer.reports import service, storage

    cleaned, _problems = service.clean_uploads(service.uploads_from(file_storages))
    return [item.token for item in storage.keep_evidence(user_id, cleaned)]


def url_after_sign_in(user) -> str | None:
    """Where someone who just signed in goes when a form of theirs is waiting: the newest one
    from the last day that has not been offered yet."""
    kept = db.session.execute(
        select(KeptForm)
        .where(
            KeptForm.owner_id == user.id,
            KeptForm.offered_at.is_(None),
            KeptForm.created_at >= utcnow() - KEEP_FOR,
        )
        .order_by(KeptForm.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if kept is None:
        return None
    kept.offered_at = utcnow()
    db.session.commit()
    return f"{kept.path}?{PARAMETER}={kept.token}"


def formdata(endpoint: str) -> MultiDict | None:
    """The kept fields for this page (GET ?kept=<token>), or None when the request names no
    kept form. A token that is not this person's, not this page's, expired or malformed is a
    404 that says so: never another person's form."""
    token = request.args.get(PARAMETER)
    if request.method != "GET" or token is None:
        return None
    kept = None
    if 0 < len(token) <= 64:
        kept = db.session.execute(
            select(KeptForm).where(
                KeptForm.token == token,
                KeptForm.owner_id == current_user.id,
                KeptForm.endpoint == endpoint,
                KeptForm.path == request.path,
                KeptForm.created_at >= utcnow() - KEEP_FOR,
            )
        ).scalar_one_or_none()
    if kept is None:
        from observer.errors import render_error

        abort(
            make_response(
                *render_error(
                    404,
                    _(
                        "Nothing is kept under this link for your account. Kept forms are kept for "
                        "a day, for the person who was sending them only."
                    ),
                )
            )
        )
    flash(
        _(
            "You were signed out after a period of inactivity while sending this form, so it "
            "was not saved. Here it is as you left it: check it and send it again."
        ),
        "warning",
    )
    return MultiDict([(name, value) for name, value in kept.fields])


def review_form(decision_forms: dict, comment_form_class):
    """The review page's kept decision or comment, as the page's `bound` (action, form), or None.
    Decision forms are prefixed by their action, so the fields say which one it was."""
    fields = formdata("review.detail")
    if fields is None:
        return None
    for action, form_class in decision_forms.items():
        if any(name.startswith(f"{action}-") for name in fields):
            return action, form_class(prefix=action, formdata=fields)
    return "comment", comment_form_class(prefix="comment", formdata=fields)
