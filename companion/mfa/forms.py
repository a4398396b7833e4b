"""The two-factor forms (WTForms through i18n_tool's LocalizedForm)."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length

from i18n_tool.pyramid import LocalizedForm
from i18n_tool.pyramid import _

# What browsers and password managers fill with a one-time code, on a numeric keyboard.
ONE_TIME_CODE = {"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false",
                 "autocapitalize": "none"}
RECOVERY_CODE = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}


def _required():
    return DataRequired(message=_("This field is required."))


class TOTPCodeForm(LocalizedForm):
    method = HiddenField(default="totp", render_kw={"id": "totp-method"})  # one page holds every method's form
    code = StringField(_("Code from your authenticator app"), render_kw=ONE_TIME_CODE,
                       validators=[_required(), Length(max=20, message=_("Use at most %(max)d characters."))])


class RecoveryCodeForm(LocalizedForm):
    method = HiddenField(default="recovery_code", render_kw={"id": "recovery-method"})
    recovery_code = StringField(_("Recovery code"), render_kw=RECOVERY_CODE,
                                validators=[_required(), Length(max=60, message=_("Use at most %(max)d characters."))])


class AdminResetForm(LocalizedForm):
    identity_checked = BooleanField(
        _("I checked this person's identity outside this site, as the support procedure asks."),
        validators=[DataRequired(message=_("Confirm that you checked the person's identity."))])


class SecurityKeyForm(LocalizedForm):
    """Adding a key: its label, and the browser's answer (filled by companion/static/webauthn.js)."""

    label = StringField(_("Name of the key"), render_kw={"autocomplete": "off", "maxlength": 64},
                        validators=[_required(), Length(max=64, message=_("Use at most %(max)d characters."))])
    credential = HiddenField()


class SecurityKeyLoginForm(LocalizedForm):
    method = HiddenField(default="webauthn", render_kw={"id": "webauthn-method"})
    credential = HiddenField(render_kw={"id": "webauthn-credential"})
