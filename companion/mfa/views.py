"""Two-factor pages: the settings, TOTP enrolment and removal, recovery codes, the second step of
the login, and the admin's reset."""

from __future__ import annotations

import base64

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from companion.accounts.interfaces import IUserService
from companion.accounts.views import FLASH, _flash, _form, _refused, require_reauthentication
from companion.email import send_email
from companion.mfa import services, totp, webauthn
from companion.mfa.forms import AdminResetForm, RecoveryCodeForm, SecurityKeyLoginForm, TOTPCodeForm
from companion.mfa.messages import WEBAUTHN_ERRORS
from i18n_tool.pyramid import _, translate

GET = ("GET", "HEAD")
ISSUER = "Companion"


def _login_first(request):
    return HTTPSeeOther(request.route_path("accounts.login", _query={"next": request.path_qs}))


def _log_in_again_first(request):
    """Where a sensitive action sends a visitor first: to log in, or to confirm the password."""
    if request.user is None:
        return _login_first(request)
    return require_reauthentication(request)


def _overview(request):
    return HTTPSeeOther(request.route_path("mfa.overview"))


def _totp(request) -> services.TOTPMethod:
    return services.provider(request, "totp")


# --- settings ---------------------------------------------------------------------------------------------


@view_config(route_name="mfa.overview", renderer="mfa/overview.html", request_method=GET)
def overview(request):
    user = request.user
    if user is None:
        return _login_first(request)
    codes = services.recovery_codes(request)
    sections = [(each.settings_template, {"methods": each.methods(user)})
                for each in services.providers(request) if each.settings_template]
    return {"methods": services.enrolled(request, user), "sections": sections,
            "remaining": codes.remaining(user), "has_codes": codes.exists(user), "confirmed": codes.confirmed(user)}


def _enrolment(request, user, secret: str, form) -> dict:
    issuer = str(request.registry.settings.get("mfa.totp_issuer") or ISSUER)
    uri = totp.provisioning_uri(secret, user.username, issuer)
    svg = base64.b64encode(totp.qr_svg(uri).encode()).decode("ascii")
    return {"form": form, "uri": uri, "qr": f"data:image/svg+xml;base64,{svg}", "key": totp.grouped(secret),
            "issuer": issuer}


@view_config(route_name="mfa.totp_add", renderer="mfa/totp_add.html", request_method=(*GET, "POST"))
def totp_add(request):
    user = request.user
    if (first := _log_in_again_first(request)) is not None:
        return first
    method = _totp(request)
    if method.credential(user) is not None:
        _flash(request, _("An authenticator app is already set up. Remove it first to set up another."))
        return _overview(request)
    secret = request.session.get(services.PENDING_SECRET)
    if not isinstance(secret, str):
        secret = request.session[services.PENDING_SECRET] = totp.new_secret()
    form = _form(request, TOTPCodeForm)
    if request.method != "POST":
        return _enrolment(request, user, secret, form)
    if form.validate():
        result, step = totp.check(secret, form.code.data, None)
        if result is totp.Check.OK:
            first = not services.has_two_factor(request, user)
            method.add(user, secret, step)
            del request.session[services.PENDING_SECRET]  # from now on it is only in the database
            services.method_added(request, user, "totp")
            if first:  # the first method: a set of recovery codes, shown now, once
                return _show_new_codes(request, user, translate(request, _(
                    "Your authenticator app is set up. Save these recovery codes now.")))
            _flash(request, _("Your authenticator app is set up."))
            return _overview(request)
        form.code.errors.append(translate(request, _(
            "This code is not right. Check that the clock of your device is right, then enter the newest code.")))
    return _refused(request, **_enrolment(request, user, secret, form))


@view_config(route_name="mfa.totp_remove", renderer="mfa/totp_remove.html", request_method=(*GET, "POST"))
def totp_remove(request):
    user = request.user
    if (first := _log_in_again_first(request)) is not None:
        return first
    method = _totp(request)
    if method.credential(user) is None:
        return _overview(request)
    if request.method == "POST":
        method.remove_all(user)
        services.method_removed(request, user, "totp")
        _flash(request, _("Your authenticator app was removed."))
        return _overview(request)
    return {}


# --- recovery codes ---------------------------------------------------------------------------------------


def _show_new_codes(request, user, message: str | None = None) -> dict:
    codes = services.recovery_codes(request)
    regenerated = codes.exists(user)
    new = codes.generate(user)
    request.record_event("account:recovery_codes:regenerated" if regenerated else "account:recovery_codes:generated",
                         user, {"count": len(new)})
    send_email(request, "recovery-codes-generated", user, count=len(new))
    request.override_renderer = "mfa/recovery_codes.html"
    # Shown on this page only: nowhere else, and not kept in the session.
    return {"codes": new, "message": message, "form": RecoveryCodeForm(meta={"request": request}),
            "remaining": len(new), "has_codes": True, "confirmed": False,
            "has_methods": services.has_two_factor(request, user)}


@view_config(route_name="mfa.recovery_codes", renderer="mfa/recovery_codes.html", request_method=(*GET, "POST"))
def recovery_codes(request):
    user = request.user
    if user is None:
        return _login_first(request)
    codes = services.recovery_codes(request)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "generate":
        if (again := require_reauthentication(request)) is not None:
            return again
        request.response.headers["Cache-Control"] = "no-store"
        return _show_new_codes(request, user)
    form = _form(request, RecoveryCodeForm) if action == "confirm" else RecoveryCodeForm(meta={"request": request})
    if action == "confirm" and form.validate():
        if codes.confirm(user, form.recovery_code.data):
            request.record_event("account:recovery_codes:confirmed", user)
            _flash(request, _("Thank you: your recovery codes are saved."))
            return _overview(request)
        request.record_event("account:recovery_codes:confirm_failure", user)
        form.recovery_code.errors.append(translate(request, _("This is not one of your unused recovery codes.")))
    values = {"codes": None, "message": None, "form": form, "remaining": codes.remaining(user),
              "has_codes": codes.exists(user), "confirmed": codes.confirmed(user),
              "has_methods": services.has_two_factor(request, user)}
    if action is not None and action not in ("generate", "confirm"):
        raise HTTPBadRequest()
    return _refused(request, **values) if action else values


# --- the second step of the login ---------------------------------------------------------------------------


def _second_step(request, user, totp_form=None, recovery_form=None, webauthn_form=None) -> dict:
    sections = []
    for each in services.providers(request):
        if each.login_template and each.methods(user):
            sections.append((each.login_template, each.login_context(request, user)))
    codes = services.recovery_codes(request)
    return {"valid": True, "user": user, "sections": sections, "recovery_remaining": codes.remaining(user),
            "totp_form": totp_form or TOTPCodeForm(meta={"request": request}),
            "recovery_form": recovery_form or RecoveryCodeForm(meta={"request": request}),
            "webauthn_form": webauthn_form or SecurityKeyLoginForm(meta={"request": request})}


def _too_many(request, values: dict, wait: int, form) -> dict:
    request.response.status_int = 429
    request.response.headers["Retry-After"] = str(wait)
    form.form_errors.append(translate(request, _(
        "Too many failed attempts at the second step. Wait a few minutes, then try again.")))
    return values


@view_config(route_name="mfa.login", renderer="mfa/login.html", request_method=(*GET, "POST"))
def second_step(request):
    user = services.second_step_user(request)
    if user is None:
        request.response.status_int = 400
        return {"valid": False}
    request.response.headers["Referrer-Policy"] = "no-referrer"  # the token is in this page's address
    if request.method != "POST":
        return _second_step(request, user)
    method = request.POST.get("method")
    if method == "totp" and _totp(request).credential(user) is not None:
        form = _form(request, TOTPCodeForm)
        values = _second_step(request, user, totp_form=form)
        if (wait := services.limited(request, user, "totp")) is not None:
            return _too_many(request, values, wait, form)
        if not form.validate():
            services.failed(request, user, "totp", "invalid_code")
            return _refused(request, **values)
        result = _totp(request).verify(user, form.code.data)
        if result is totp.Check.OK:
            return services.complete_login(request, user, "totp")
        services.failed(request, user, "totp", str(result))
        if result is totp.Check.REUSED:
            request.record_event("account:two_factor:code_reuse", user, {"method": "totp"}, actor="anonymous")
            send_email(request, "code-reuse", user)
            form.code.errors.append(translate(request, _(
                "This code was already used. Wait for the next code of your app, then enter it.")))
        else:
            form.code.errors.append(translate(request, _(
                "This code is not right. Check that the clock of your device is right, then enter the newest code.")))
        return _refused(request, **values)
    keys = services.provider(request, "webauthn")
    if method == "webauthn" and keys is not None and keys.methods(user):
        return _second_step_with_key(request, user, keys)
    if method == "recovery_code":
        form = _form(request, RecoveryCodeForm)
        values = _second_step(request, user, recovery_form=form)
        if (wait := services.limited(request, user, "recovery_code")) is not None:
            return _too_many(request, values, wait, form)
        if not form.validate():
            services.failed(request, user, "recovery_code", "invalid_recovery_code")
            return _refused(request, **values)
        codes = services.recovery_codes(request)
        result = codes.use(user, form.recovery_code.data)
        if result == "ok":
            remaining = codes.remaining(user)
            request.record_event("account:recovery_codes:used", user, {"remaining": remaining}, actor="anonymous")
            send_email(request, "recovery-code-used", user, remaining=remaining)
            return services.complete_login(request, user, "recovery_code")
        services.failed(request, user, "recovery_code", result)
        form.recovery_code.errors.append(translate(request, _(
            "This recovery code was already used.") if result == "used_recovery_code" else _(
            "This is not one of your recovery codes.")))
        return _refused(request, **values)
    raise HTTPBadRequest()


def _second_step_with_key(request, user, keys):
    form = _form(request, SecurityKeyLoginForm)
    if (wait := services.limited(request, user, "webauthn")) is not None:
        return _too_many(request, _second_step(request, user, webauthn_form=form), wait, form)
    try:
        key = keys.authenticate(request, user, form.credential.data or "")
    except webauthn.WebAuthnError as error:
        label = error.credential.label if error.credential else None
        services.failed(request, user, "webauthn", error.code, label)
        if error.code == "cloned_key":
            request.record_event("account:two_factor:cloned_key", user, {"method": "webauthn", "label": label},
                                 actor="anonymous")
        form.form_errors.append(translate(request, WEBAUTHN_ERRORS[error.code]))
        return _refused(request, **_second_step(request, user, webauthn_form=form))
    return services.complete_login(request, user, "webauthn", key.label)


# --- the admin's reset ----------------------------------------------------------------------------------------


@view_config(route_name="mfa.admin_user", renderer="mfa/admin_user.html", request_method=(*GET, "POST"))
def admin_user(request):
    admin = request.user
    if admin is None or not admin.is_admin:
        raise HTTPNotFound()  # the view's existence is not revealed
    if (again := require_reauthentication(request)) is not None:
        return again
    user = request.find_service(IUserService).get_user_by_username(request.matchdict["username"])
    if user is None:
        raise HTTPNotFound()
    form = _form(request, AdminResetForm)
    codes = services.recovery_codes(request)
    if request.method == "POST" and form.validate():
        removed = [method for each in services.providers(request) for method in each.remove_all(user)]
        burned = codes.remove_all(user)
        request.record_event("admin:two_factor:reset", user, {
            "methods": sorted({method.kind for method in removed}),
            "labels": [method.label for method in removed if method.label], "recovery_codes": burned,
        }, actor=f"admin:{admin.id}")
        send_email(request, "two-factor-reset", user)
        request.session.flash(translate(request, _("The second factor of ${username} was reset."),
                                        {"username": user.username}), FLASH)
        return HTTPSeeOther(request.route_path("mfa.admin_user", username=user.username))
    values = {"subject": user, "form": form, "methods": services.enrolled(request, user),
              "remaining": codes.remaining(user)}
    return _refused(request, **values) if request.method == "POST" else values
