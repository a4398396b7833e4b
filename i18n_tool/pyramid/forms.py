"""WTForms in the request's language: WTForms' own messages and the app's lazy labels and errors.

::

    from i18n_tool.pyramid import LocalizedForm, lazy_gettext as _

    class LoginForm(LocalizedForm):
        email = StringField(_("Email"), validators=[DataRequired()])

    form = LoginForm(request.POST, meta={"request": request})

Or keep your base form and mix :class:`LocalizedMeta` into its ``Meta``. Without
``meta={"request": …}`` the current request (Pyramid's threadlocal) is used. Built-in
messages come from WTForms' catalogs (``wtforms:locale/``, domain ``wtforms``, registered by
the include); lazy strings (TranslationString) from the app's.
"""

import copy

from pyramid.i18n import TranslationString
from pyramid.threadlocal import get_current_request
from wtforms import Form
from wtforms.fields.core import UnboundField

from i18n_tool.pseudo import TRANSFORMS
from i18n_tool.pyramid.request import translate

WTFORMS_DOMAIN = "wtforms"


def localized(request, value):
    """A TranslationString translated; anything else as it is."""
    return translate(request, value) if isinstance(value, TranslationString) else value


class RequestTranslations:
    """WTForms' ``translations`` object (``gettext``/``ngettext``) over ``request.localizer``.

    WTForms ships no catalogs for the pseudo-locales, so there its messages are pseudo-translated
    here, and a page in ``en_XA`` shows them as translated like the app's own.
    """

    def __init__(self, request):
        self.request = request
        self.pseudo = TRANSFORMS.get(request.locale_name)

    def gettext(self, string):
        if isinstance(string, TranslationString):
            return translate(self.request, string)
        return self._pseudo(self.request.localizer.translate(string, domain=WTFORMS_DOMAIN))

    def ngettext(self, singular, plural, n):
        return self._pseudo(self.request.localizer.pluralize(singular, plural, n, domain=WTFORMS_DOMAIN))

    def _pseudo(self, text):
        return self.pseudo(text) if self.pseudo is not None else text


def _choices(request, choices):
    if not isinstance(choices, (list, tuple)):
        return choices  # a callable or a dict of groups: left alone
    return [(choice[0], localized(request, choice[1]), *choice[2:])
            if isinstance(choice, tuple) and len(choice) >= 2 else choice for choice in choices]


def _validator(request, validator):
    message = getattr(validator, "message", None)
    if not isinstance(message, TranslationString):
        return validator
    validator = copy.copy(validator)  # the class-level instance is shared by every request
    validator.message = translate(request, message)
    return validator


def localize_field(request, unbound: UnboundField) -> UnboundField:
    """The field with its lazy label, description, choices and validator messages translated."""
    args, kwargs = list(unbound.args), dict(unbound.kwargs)
    if args:
        args[0] = localized(request, args[0])  # the label, given positionally
    for key in ("label", "description"):
        if key in kwargs:
            kwargs[key] = localized(request, kwargs[key])
    if "choices" in kwargs:
        kwargs["choices"] = _choices(request, kwargs["choices"])
    if kwargs.get("validators"):
        kwargs["validators"] = [_validator(request, validator) for validator in kwargs["validators"]]
    return UnboundField(unbound.field_class, *args, name=unbound.name, **kwargs)


class LocalizedMeta:
    """Mixin for a form's ``Meta``: translations and lazy strings through ``request.localizer``."""

    request = None

    def _request(self):
        return self.request if self.request is not None else get_current_request()

    def get_translations(self, form):
        request = self._request()
        return RequestTranslations(request) if request is not None else super().get_translations(form)

    def bind_field(self, form, unbound_field, options):
        request = self._request()
        if request is not None:
            unbound_field = localize_field(request, unbound_field)
        return super().bind_field(form, unbound_field, options)


class LocalizedForm(Form):
    """A Form with :class:`LocalizedMeta` whose ``validate`` also translates lazy errors that
    validator functions raised (``raise ValidationError(_("…"))``)."""

    class Meta(LocalizedMeta):
        pass

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        request = self.meta._request()
        if request is not None:
            for field in self:
                if isinstance(field.errors, (list, tuple)):  # a FormField's are a dict
                    field.errors = [localized(request, error) for error in field.errors]
            self.form_errors = [localized(request, error) for error in self.form_errors]
        return valid
