"""A view's use of one-time tokens in three calls: `FormGuard(form_key, field)` fills the form's
hidden token (a fresh one on GET, or when the posted one was refused), `answer_again()` gives
the answer for a post already received (or None), `claim` goes to the service to be called in
the saving transaction."""

from __future__ import annotations

from flask import flash, redirect, request
from flask_babel import gettext as _
from flask_login import current_user

from observer.safekeeping import once


class FormGuard:
    def __init__(self, form_key: str, field, result_path):
        """`field` is the form's hidden `once` field; `result_path(saved)` is where the saved
        object's page is, remembered for a second post."""
        self.form_key = form_key
        self.field = field
        self.result_path = result_path
        self.token: once.OnceToken | None = None
        self.refused = False
        if request.method == "POST":
            try:
                self.token = once.read(request.form.get(once.FIELD), current_user.id, form_key)
            except once.WrongToken:
                self.refused = True
                flash(
                    _(
                        "This form was not made for this page or for your account (it may come "
                        "from another tab or another person). Nothing was saved: check what is "
                        "below and send it again."
                    ),
                    "error",
                )
        if request.method != "POST" or self.refused:
            field.data = once.issue(current_user.id, form_key)

    def answer_again(self):
        """A redirect to what the first post of this form made, or None if it is the first."""
        earlier = once.earlier_result(self.token, current_user.id)
        if earlier is None:
            return None
        flash(
            _(
                "This form had already been received, so nothing was saved twice. Here is what "
                "it saved."
            ),
            "info",
        )
        return redirect(earlier, code=303)

    def claim(self, saved) -> None:
        once.claim(self.token, current_user.id, self.result_path(saved))
