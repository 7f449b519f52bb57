"""Sign-in, two-factor, sign-out, the account page, passwords and re-authentication."""

from __future__ import annotations

from time import time

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh as refresh_locale
from flask_login import current_user, logout_user

from observer.audit.service import log_security_event
from observer.auth import flow, limits, passwords, service, totp
from observer.auth.access import access, safe_next
from observer.auth.forms import (
    ROLE_NAMES,
    AccountForm,
    ChangePasswordForm,
    LoginForm,
    ReauthForm,
    SetPasswordForm,
    TwoFactorDisableForm,
    TwoFactorForm,
    TwoFactorSetupForm,
)
from observer.extensions import db, limiter

bp = Blueprint("auth", __name__)

# One message for every refused sign-in, so nobody can learn which emails have accounts.
SIGN_IN_REFUSED = _l("The email or password is incorrect, or the account is temporarily locked.")
CODE_REFUSED = _l("That code is not valid. Check the time on your phone and try again.")


@bp.context_processor
def auth_template_values() -> dict:
    return {"role_names": ROLE_NAMES, "min_password_length": passwords.MIN_LENGTH}


def limited(account_key):
    """The two limits of a sign-in step: per address and account, and per address alone."""

    def decorate(view):
        view = limiter.limit(limits.per_address_limit, key_func=limits.address, methods=["POST"])(
            view
        )
        return limiter.limit(limits.per_account_limit, key_func=account_key, methods=["POST"])(view)

    return decorate


@bp.route("/login", methods=["GET", "POST"])
@access("public")
@limited(limits.address_and_email)
def login():
    next_url = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(safe_next(next_url, flow.home_url(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        result = flow.check_password_sign_in(form.email.data, form.password.data)
        user = result.user
        if user is None:
            form.password.errors.append(SIGN_IN_REFUSED)
            return render_template("auth/login.html", form=form, next_url=next_url)
        if user.totp_enabled:
            flow.remember_pending(user, safe_next(next_url, ""))
            return redirect(url_for("auth.two_factor"))
        flow.finish_sign_in(user)
        return redirect(safe_next(next_url, flow.home_url(user)))
    return render_template("auth/login.html", form=form, next_url=next_url)


@bp.route("/login/code", methods=["GET", "POST"])
@access("public")
@limited(limits.address_and_pending_account)
def two_factor():
    user, next_url = flow.pending_user()
    if user is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("auth.login"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        if service.check_totp(user, form.code.data):
            flow.finish_sign_in(user)
            return redirect(safe_next(next_url, flow.home_url(user)))
        if flow.count_failure(user, "two_factor_failed"):
            flow.forget_pending()
            flash(SIGN_IN_REFUSED, "error")
            return redirect(url_for("auth.login"))
        form.code.errors.append(CODE_REFUSED)
    return render_template("auth/two_factor.html", form=form)


@bp.post("/logout")
@access("public")
def logout():
    if current_user.is_authenticated:
        log_security_event("logout", actor_id=current_user.id, subject_id=current_user.id)
    flow.sign_out()
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("public.home"))


@bp.route("/account", methods=["GET", "POST"])
@access("signed_in")
def account():
    form = AccountForm(obj=current_user)
    if form.validate_on_submit():
        current_user.display_name = form.display_name.data.strip()
        current_user.locale = form.locale.data
        session["locale"] = form.locale.data
        db.session.commit()
        refresh_locale()  # so the confirmation below is already in the chosen language
        flash(_("Your account settings are saved."), "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.route("/account/password", methods=["GET", "POST"])
@access("signed_in")
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not passwords.verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("The current password is not correct."))
        else:
            user = current_user._get_current_object()
            service.set_password(user, form.new_password.data)
            log_security_event("password_changed", actor_id=user.id, subject_id=user.id)
            db.session.commit()
            # The session token rotated and every session ended: this browser gets a new one,
            # every other session of this user is no longer recognised.
            flow.open_server_session(user)
            db.session.commit()
            flash(_("Your password is changed. Other devices have been signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/account/two-factor", methods=["GET", "POST"])
@access("signed_in")
def two_factor_setup():
    user = current_user._get_current_object()
    if user.totp_enabled:
        return render_template("auth/two_factor_status.html", disable_form=TwoFactorDisableForm())
    secret = session.get(flow.SETUP_SECRET_KEY)
    if not secret:
        secret = session[flow.SETUP_SECRET_KEY] = totp.new_secret()
    form = TwoFactorSetupForm()
    if form.validate_on_submit():
        step = totp.matching_step(secret, form.code.data, None)
        if step is None:
            form.code.errors.append(CODE_REFUSED)
        else:
            user.totp_secret = secret
            user.totp_enabled = True
            user.totp_last_step = step
            log_security_event("two_factor_enrolled", actor_id=user.id, subject_id=user.id)
            db.session.commit()
            session.pop(flow.SETUP_SECRET_KEY, None)
            flash(_("Two-factor sign-in is on."), "success")
            return redirect(url_for("auth.account"))
    # The app shows the pseudonymous code, not the email: a seized phone reveals less.
    uri = totp.provisioning_uri(secret, user.observer_code or str(user.id))
    return render_template(
        "auth/two_factor_setup.html", form=form, secret=secret, qr=totp.qr_svg_data_uri(uri)
    )


@bp.post("/account/two-factor/off")
@access("signed_in")
def two_factor_disable():
    user = current_user._get_current_object()
    if user.needs_two_factor or not user.totp_enabled:
        abort(403)
    form = TwoFactorDisableForm()
    if form.validate_on_submit() and passwords.verify_password(
        user.password_hash, form.password.data
    ):
        user.totp_secret = None
        user.totp_enabled = False
        user.totp_last_step = None
        log_security_event("two_factor_disabled", actor_id=user.id, subject_id=user.id)
        db.session.commit()
        flash(_("Two-factor sign-in is off."), "success")
        return redirect(url_for("auth.account"))
    if form.password.data and not form.errors:
        form.password.errors.append(_("The password is not correct."))
    return render_template("auth/two_factor_status.html", disable_form=form), 400


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@access("public")
@limited(limits.address_and_link)
def set_password(token: str):
    user = service.user_for_set_password_token(token)
    if user is None or not user.is_active:
        return render_template("auth/set_password_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        service.set_password(user, form.new_password.data)
        log_security_event("password_set_from_link", subject_id=user.id)
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        flow.start_fresh_session()
        flash(_("Your password is set. You can sign in now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/set_password.html", form=form, account=user)


@bp.route("/reauth", methods=["GET", "POST"])
@access("signed_in")
@limited(limits.address_and_signed_in_account)
def reauth():
    user = current_user._get_current_object()
    next_url = safe_next(request.args.get("next"), flow.home_url(user))
    form = ReauthForm()
    if form.validate_on_submit():
        password_ok = passwords.verify_password(user.password_hash, form.password.data)
        code_ok = not user.totp_enabled or service.check_totp(user, form.code.data or "")
        if password_ok and code_ok:
            session["reauth_at"] = time()
            flow.clear_failures(user)
            log_security_event("reauthenticated", actor_id=user.id, subject_id=user.id)
            db.session.commit()
            return redirect(next_url)
        if flow.count_failure(user, "reauth_failed"):
            flow.sign_out()
            logout_user()
            session.clear()
            flash(SIGN_IN_REFUSED, "error")
            return redirect(url_for("auth.login"))
        form.password.errors.append(
            _("The password or code is not correct.")
            if user.totp_enabled
            else _("The password is not correct.")
        )
    return render_template("auth/reauth.html", form=form, next_url=next_url)
