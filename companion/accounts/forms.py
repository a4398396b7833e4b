"""The account forms: WTForms through i18n_tool's LocalizedForm, with lazy labels and messages."""

from __future__ import annotations

from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from i18n_tool.pyramid import LocalizedForm
from i18n_tool.pyramid import _

USERNAME = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
MIN_PASSWORD = 8


def _required():
    return DataRequired(message=_("This field is required."))


def _password_length():
    return Length(min=MIN_PASSWORD, max=4096, message=_("Use at least %(min)d characters."))


def _email():
    return [_required(), Length(max=254, message=_("Use at most %(max)d characters.")),
            Regexp(EMAIL, message=_("Enter an email address such as name@example.com."))]


class LoginForm(LocalizedForm):
    username = StringField(_("Username"), validators=[_required()])
    password = PasswordField(_("Password"), validators=[_required()])
    next = HiddenField()


class ReauthenticateForm(LocalizedForm):
    password = PasswordField(_("Password"), validators=[_required()])
    next = HiddenField()
    factor = HiddenField()  # "1": the second factor too, after the password


class RegisterForm(LocalizedForm):
    username = StringField(_("Username"), validators=[
        _required(), Length(max=50, message=_("Use at most %(max)d characters.")),
        Regexp(USERNAME, message=_("Use letters, digits, and '.', '_' or '-' between them.")),
    ])
    email = EmailField(_("Email address"), validators=_email())
    password = PasswordField(_("Password"), validators=[_required(), _password_length()])
    password_confirm = PasswordField(_("Confirm password"), validators=[
        _required(), EqualTo("password", message=_("The passwords do not match.")),
    ])


class ChangeEmailForm(LocalizedForm):
    email = EmailField(_("New email address"), validators=_email())


class ChangePasswordForm(LocalizedForm):
    current_password = PasswordField(_("Current password"), validators=[_required()])
    new_password = PasswordField(_("New password"), validators=[_required(), _password_length()])
    new_password_confirm = PasswordField(_("Confirm new password"), validators=[
        _required(), EqualTo("new_password", message=_("The passwords do not match.")),
    ])


class LanguageForm(LocalizedForm):
    preferred_locale = SelectField(_("Preferred language"), validators=[_required()])


class ResetRequestForm(LocalizedForm):
    email = EmailField(_("Email address"), validators=_email())


class ResetPasswordForm(LocalizedForm):
    new_password = PasswordField(_("New password"), validators=[_required(), _password_length()])
    new_password_confirm = PasswordField(_("Confirm new password"), validators=[
        _required(), EqualTo("new_password", message=_("The passwords do not match.")),
    ])
