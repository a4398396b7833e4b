"""The form of a new API token (WTForms through i18n_tool's LocalizedForm)."""

from __future__ import annotations

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from i18n_tool.pyramid import LocalizedForm, translate
from i18n_tool.pyramid import _

USER_WIDE = "user"
EXPIRY_DAYS = ("", "30", "90", "365")


class NewTokenForm(LocalizedForm):
    description = StringField(_("Name of the token"), render_kw={"autocomplete": "off", "maxlength": 100},
                              validators=[DataRequired(message=_("This field is required.")),
                                          Length(max=100, message=_("Use at most %(max)d characters."))])
    scope = SelectField(_("Scope"), validate_choice=True)
    expires = SelectField(_("Expires"), choices=[
        ("", _("Never")), ("30", _("In 30 days")), ("90", _("In 90 days")), ("365", _("In a year"))])

    def set_projects(self, projects) -> None:
        """The scopes the user may choose: every project they maintain, or one of them."""
        everything = translate(self.meta.request, _("All your projects, and new ones"))
        self.scope.choices = [(USER_WIDE, everything)] + [(str(p.id), p.name) for p in projects]
