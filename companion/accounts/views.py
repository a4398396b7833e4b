"""Profiles, and the account pages: log in and out, register, settings, password reset."""

from __future__ import annotations

import hashlib
import hmac

from pyramid.csrf import new_csrf_token
from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import HTTPBadRequest, HTTPMovedPermanently, HTTPNotFound, HTTPSeeOther
from pyramid.security import forget, remember
from pyramid.view import exception_view_config, view_config

from companion.accounts import tokens
from companion.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    LanguageForm,
    LoginForm,
    ReauthenticateForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from companion.accounts.interfaces import IUserService
from companion.accounts.passwords import hash_password, needs_rehash, verify_password
from companion.accounts.ratelimit import ILoginRateLimiter
from companion.accounts.security import (
    mark_authenticated,
    recently_authenticated,
    recently_confirmed_second_factor,
    refresh_stamp,
)
from companion.email import send_email
from companion.events import Subject
from companion.events.models import SubjectKind
from companion.settings import SESSION_SECRET
from i18n_tool.pyramid import _, get_localization, match, safe_next, translate

GET = ("GET", "HEAD")
FLASH = "accounts"


@view_config(route_name="accounts.profile", renderer="accounts/profile.html", request_method=GET)
def profile(request):
    users = request.find_service(IUserService)
    user = users.get_user_by_username(request.matchdict["username"])
    if user is None:
        raise HTTPNotFound()
    if user.username != request.matchdict["username"]:
        raise HTTPMovedPermanently(request.route_path("accounts.profile", username=user.username))
    return {"user": user, "roles": users.roles_for_user(user)}


def _form(request, form_class, **kwargs):
    data = request.POST if request.method == "POST" else None
    if data is not None and any(not isinstance(value, str) for value in data.values()):
        raise HTTPBadRequest()  # a file upload where every field is text
    return form_class(data, meta={"request": request}, **kwargs)


def _refused(request, **values):
    """The page again with the form's errors: the post was not accepted (400)."""
    request.response.status_int = 400
    return values


def _flash(request, message) -> None:
    request.session.flash(translate(request, message), FLASH)


def _secret(request) -> str:
    return str(request.registry.settings[SESSION_SECRET])


def _max_age(request, purpose: str) -> int:
    return int(request.registry.settings.get(f"accounts.{purpose}.max_age") or tokens.DEFAULT_MAX_AGE[purpose])


def _verification_state(user) -> str:
    return f"{user.email.lower()}\x00{int(user.email_verified)}"  # a used link stops working


def _reset_state(user) -> str:
    return f"{user.password_hash or ''}\x00{user.email.lower()}"


def _send_verification(request, user) -> None:
    max_age = _max_age(request, tokens.VERIFY_EMAIL)
    token = tokens.make_token(_secret(request), tokens.VERIFY_EMAIL, user.id, _verification_state(user), max_age)
    send_email(request, "verify-email", user, link=request.route_url("accounts.verify_email", token=token),
               expires_in=max_age // 3600)


# --- log in, log out, register --------------------------------------------------------------------------


@view_config(route_name="accounts.login", renderer="accounts/login.html", request_method=(*GET, "POST"))
def login(request):
    if request.user is not None and request.method != "POST":
        return HTTPSeeOther(request.route_path("accounts.settings"))
    form = _form(request, LoginForm, next=safe_next(request.params.get("next"), ""))
    if request.method == "POST" and form.validate():
        limiter = request.find_service(ILoginRateLimiter)
        ip = request.client_addr
        user = request.find_service(IUserService).get_user_by_username(form.username.data.strip())
        if limiter.is_limited(form.username.data, ip):
            _login_failed(request, user, form.username.data, "rate_limited")
            request.response.status_int = 429
            request.response.headers["Retry-After"] = "900"
            form.form_errors.append(translate(request, _(
                "Too many failed attempts to log in. Wait a few minutes, then try again.")))
            return {"form": form}
        if user is None or not verify_password(user.password_hash if user else None, form.password.data):
            limiter.fail(form.username.data, ip)
            _login_failed(request, user, form.username.data, "unknown_user" if user is None else "bad_password")
            form.form_errors.append(translate(request, _("The username or password is not correct.")))
            return _refused(request, form=form)
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(form.password.data)
        limiter.clear(form.username.data)
        from companion.mfa import services as mfa

        if mfa.has_two_factor(request, user):  # the password was right: on to the second step
            return mfa.start_second_step(request, user, safe_next(form.next.data, ""))
        request.record_event("account:login:success", user, actor=f"user:{user.id}")
        headers = remember(request, user.id)
        return HTTPSeeOther(safe_next(form.next.data, request.route_path("accounts.settings")), headers=headers)
    if request.method == "POST":
        return _refused(request, form=form)
    return {"form": form}


def _login_failed(request, user, username: str, reason: str) -> None:
    """An event on the user; for an unknown username on no one (nothing is created), and with a
    keyed fingerprint of what was typed instead of the text: it may be a password in the wrong field."""
    if user is not None:
        request.record_event("account:login:failure", user, {"reason": reason, "username": user.username},
                             actor="anonymous")
        return
    typed = hmac.new(_secret(request).encode(), username.strip().lower().encode(), hashlib.sha256).hexdigest()
    request.record_event("account:login:failure", Subject(SubjectKind.USER, None),
                         {"reason": reason, "username_fingerprint": typed[:16]}, actor="anonymous")


@view_config(route_name="accounts.logout", request_method="POST")
def logout(request):
    if request.user is not None:
        request.record_event("account:logout", request.user)
    headers = forget(request)
    return HTTPSeeOther(request.route_path("index"), headers=headers)


@view_config(route_name="accounts.register", renderer="accounts/register.html", request_method=(*GET, "POST"))
def register(request):
    if request.user is not None and request.method != "POST":
        return HTTPSeeOther(request.route_path("accounts.settings"))
    form = _form(request, RegisterForm)
    if request.method == "POST" and form.validate():
        users = request.find_service(IUserService)
        if users.get_user_by_username(form.username.data) is not None:
            form.username.errors.append(translate(request, _("This username is already taken.")))
        if users.get_user_by_email(form.email.data) is not None:
            form.email.errors.append(translate(request, _("This email address is already used by an account.")))
        if not form.username.errors and not form.email.errors:
            locale = match(request.locale_name, get_localization(request.registry).available)
            user = users.create_user(form.username.data, form.email.data.strip(), form.password.data, locale)
            request.record_event("account:create", user, {"username": user.username, "email": user.email},
                                 actor=f"user:{user.id}")
            headers = remember(request, user.id)
            _send_verification(request, user)
            _flash(request, _("Your account is ready. We sent you an email to verify your address."))
            return HTTPSeeOther(request.route_path("accounts.settings"), headers=headers)
    if request.method == "POST":
        return _refused(request, form=form)
    return {"form": form}


@view_config(route_name="accounts.verify_email", renderer="accounts/verify_email.html", request_method=GET)
def verify_email(request):
    token = request.matchdict["token"]
    user_id = tokens.token_user_id(token)
    user = request.find_service(IUserService).get_user(user_id) if user_id is not None else None
    if user is None or not tokens.check_token(_secret(request), tokens.VERIFY_EMAIL, token, _verification_state(user)):
        return _refused(request, valid=False)
    user.email_verified = True
    request.record_event("account:email:verified", user, {"email": user.email}, actor=f"user:{user.id}")
    return {"valid": True}


# --- settings ---------------------------------------------------------------------------------------------


def _language_form(request, user):
    form = _form(request, LanguageForm) if request.POST.get("action") == "language" else LanguageForm(
        None, meta={"request": request}, preferred_locale=user.preferred_locale or request.locale_name)
    # Each language named in itself, marked as such (WCAG 3.1.2, language of parts).
    form.preferred_locale.choices = [(code, name, {"lang": tag}) for code, tag, name in request.available_locales]
    return form


@view_config(route_name="accounts.settings", renderer="accounts/settings.html", request_method=(*GET, "POST"))
def settings(request):
    user = request.user
    if user is None:
        return HTTPSeeOther(request.route_path("accounts.login", _query={"next": request.path}))
    action = request.POST.get("action") if request.method == "POST" else None
    email_form = _form(request, ChangeEmailForm) if action == "email" else ChangeEmailForm(meta={"request": request})
    password_form = (_form(request, ChangePasswordForm) if action == "password"
                     else ChangePasswordForm(meta={"request": request}))
    language_form = _language_form(request, user)
    done = HTTPSeeOther(request.route_path("accounts.settings"))
    users = request.find_service(IUserService)

    if action == "email" and email_form.validate():
        other = users.get_user_by_email(email_form.email.data)
        if other is not None and other.id != user.id:
            email_form.email.errors.append(translate(request, _("This email address is already used by an account.")))
        else:
            old = user.email
            user.email, user.email_verified = email_form.email.data.strip(), False
            request.record_event("account:email:change", user, {"old": old, "new": user.email})
            _send_verification(request, user)
            _flash(request, _("Your email address was changed. We sent you an email to verify it."))
            return done
    elif action == "password" and password_form.validate():
        if not verify_password(user.password_hash, password_form.current_password.data):
            password_form.current_password.errors.append(translate(request, _("The current password is not correct.")))
        else:
            user.password_hash = hash_password(password_form.new_password.data)
            request.record_event("account:password:change", user)
            refresh_stamp(request, user)
            send_email(request, "password-changed", user)
            _flash(request, _("Your password was changed."))
            return done
    elif action == "language" and language_form.validate():
        record_locale_change(request, user, language_form.preferred_locale.data)
        _flash(request, _("Your preferred language was saved."))
        response = done
        response.delete_cookie("_LOCALE_")  # the preference, not an earlier switch, chooses from now on
        return response
    elif action == "verify":
        if not user.email_verified:
            _send_verification(request, user)
            _flash(request, _("We sent you an email to verify your address."))
        return done
    elif action is not None and action not in ("email", "password", "language"):
        return done
    from companion.mfa.services import has_two_factor

    forms = {"email_form": email_form, "password_form": password_form, "language_form": language_form,
             "two_factor": has_two_factor(request, user)}
    return _refused(request, **forms) if action is not None else forms


def record_locale_change(request, user, locale: str) -> None:
    if locale != user.preferred_locale:
        request.record_event("account:locale:change", user, {"old": user.preferred_locale or "", "new": locale})
        user.preferred_locale = locale


# --- re-authentication before sensitive actions -----------------------------------------------------------


def require_reauthentication(request, second_factor: bool = False):
    """None when the session's password (and, with ``second_factor``, a second factor) was checked
    recently; else the redirect to check it again, coming back to this page."""
    if recently_authenticated(request) and (not second_factor or recently_confirmed_second_factor(request)):
        return None
    query = {"next": request.path_qs, **({"factor": "1"} if second_factor else {})}
    return HTTPSeeOther(request.route_path("accounts.reauthenticate", _query=query))


@view_config(route_name="accounts.reauthenticate", renderer="accounts/reauthenticate.html",
             request_method=(*GET, "POST"))
def reauthenticate(request):
    user = request.user
    if user is None:
        return HTTPSeeOther(request.route_path("accounts.login", _query={"next": request.path_qs}))
    form = _form(request, ReauthenticateForm, next=safe_next(request.params.get("next"), ""),
                 factor="1" if request.params.get("factor") == "1" else "")
    if request.method == "POST" and form.validate():
        limiter = request.find_service(ILoginRateLimiter)
        if limiter.is_limited(user.username, request.client_addr):
            request.record_event("account:reauthenticate:failure", user, {"reason": "rate_limited"})
            request.response.status_int = 429
            request.response.headers["Retry-After"] = "900"
            form.form_errors.append(translate(request, _(
                "Too many failed attempts to log in. Wait a few minutes, then try again.")))
            return {"form": form}
        if not verify_password(user.password_hash, form.password.data):
            limiter.fail(user.username, request.client_addr)
            request.record_event("account:reauthenticate:failure", user, {"reason": "bad_password"})
            form.password.errors.append(translate(request, _("The password is not correct.")))
            return _refused(request, form=form)
        mark_authenticated(request)
        target = safe_next(form.next.data, request.route_path("accounts.settings"))
        if form.factor.data == "1":
            from companion.mfa import services as mfa  # companion.mfa imports this module

            if mfa.has_two_factor(request, user):  # then the second step, as at login
                return mfa.start_second_step(request, user, target)
        return HTTPSeeOther(target)
    if request.method == "POST":
        return _refused(request, form=form)
    return {"form": form}


# --- password reset ----------------------------------------------------------------------------------------


@view_config(route_name="accounts.reset_password_request", renderer="accounts/reset_request.html",
             request_method=(*GET, "POST"))
def reset_password_request(request):
    form = _form(request, ResetRequestForm)
    if request.method == "POST" and form.validate():
        user = request.find_service(IUserService).get_user_by_email(form.email.data)
        if user is not None:
            request.record_event("account:password:reset:request", user, actor="anonymous")
            max_age = _max_age(request, tokens.RESET_PASSWORD)
            token = tokens.make_token(_secret(request), tokens.RESET_PASSWORD, user.id, _reset_state(user), max_age)
            send_email(request, "password-reset", user,
                       link=request.route_url("accounts.reset_password", token=token), expires_in=max_age // 60)
        # The same answer whether or not an account uses the address.
        return {"form": None, "sent": True}
    if request.method == "POST":
        return _refused(request, form=form, sent=False)
    return {"form": form, "sent": False}


@view_config(route_name="accounts.reset_password", renderer="accounts/reset_password.html",
             request_method=(*GET, "POST"))
def reset_password(request):
    token = request.matchdict["token"]
    user_id = tokens.token_user_id(token)
    users = request.find_service(IUserService)
    user = users.get_user(user_id) if user_id is not None else None
    if user is None or not tokens.check_token(_secret(request), tokens.RESET_PASSWORD, token, _reset_state(user)):
        return _refused(request, form=None, valid=False)
    form = _form(request, ResetPasswordForm)
    if request.method == "POST" and form.validate():
        user.password_hash = hash_password(form.new_password.data)
        request.record_event("account:password:reset", user, actor=f"user:{user.id}")
        send_email(request, "password-changed", user)
        headers = forget(request)
        new_csrf_token(request)
        request.session.flash(translate(request, _("Your password was changed. Log in with the new one.")), FLASH)
        return HTTPSeeOther(request.route_path("accounts.login"), headers=headers)
    if request.method == "POST":
        return _refused(request, form=form, valid=True)
    return {"form": form, "valid": True}


# --- a state-changing request without a valid CSRF token -----------------------------------------------------


@exception_view_config(BadCSRFToken, renderer="accounts/csrf.html")
def bad_csrf_token(request):
    request.response.status_int = 403
    return {}
