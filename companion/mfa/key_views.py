"""Security-key pages: adding a key (the WebAuthn registration ceremony) and removing one.

The key's part of the login's second step is in companion/mfa/views.py, with the other methods.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from companion.accounts.views import FLASH, _form, _refused
from companion.mfa import services, webauthn
from companion.mfa.forms import SecurityKeyForm
from companion.mfa.messages import WEBAUTHN_ERRORS
from companion.mfa.views import GET, _log_in_again_first, _overview, _show_new_codes
from i18n_tool.pyramid import _, translate

LABEL_ERRORS = ("label_required", "label_too_long", "label_taken")


def _keys(request):
    return services.provider(request, "webauthn")


def _flash(request, message, label: str) -> None:
    request.session.flash(translate(request, message, {"label": label}), FLASH)


@view_config(route_name="mfa.webauthn_add", renderer="mfa/webauthn_add.html", request_method=(*GET, "POST"))
def webauthn_add(request):
    user = request.user
    if (first := _log_in_again_first(request)) is not None:
        return first
    keys = _keys(request)
    form = _form(request, SecurityKeyForm)
    if request.method == "POST" and form.validate():
        first = not services.has_two_factor(request, user)
        try:
            row = keys.register(request, user, form.credential.data or "", form.label.data)
        except webauthn.WebAuthnError as error:
            request.record_event("account:two_factor:method_add_failure", user,
                                 {"method": "webauthn", "reason": error.code})
            errors = form.label.errors if error.code in LABEL_ERRORS else form.form_errors
            errors.append(translate(request, WEBAUTHN_ERRORS[error.code]))
        else:
            services.method_added(request, user, "webauthn", row.label)
            if first:  # the first method: a set of recovery codes, shown now, once
                return _show_new_codes(request, user, translate(request, _(
                    "Your security key “${label}” is added. Save these recovery codes now."), {"label": row.label}))
            _flash(request, _("Your security key “${label}” is added."), row.label)
            return _overview(request)
    values = {"form": form, "options": keys.registration(request, user)}
    return _refused(request, **values) if request.method == "POST" else values


@view_config(route_name="mfa.webauthn_remove", renderer="mfa/webauthn_remove.html", request_method=(*GET, "POST"))
def webauthn_remove(request):
    user = request.user
    if (first := _log_in_again_first(request)) is not None:
        return first
    keys = _keys(request)
    row = keys.row(user, int(request.matchdict["id"]))
    if row is None:
        raise HTTPNotFound()
    if request.method == "POST":
        removed = keys.remove(row)
        services.method_removed(request, user, "webauthn", removed.label)
        _flash(request, _("Your security key “${label}” was removed."), removed.label)
        return _overview(request)
    return {"key": row}
