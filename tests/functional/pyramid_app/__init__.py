"""A tiny Pyramid + Jinja2 app that includes ``i18n_tool.pyramid``, for the functional tests.

Its catalogs are compiled by the test fixture from ``catalogs/*.po`` into a temporary
directory given as the ``i18n_tool.catalogs`` setting. "Logged-in users" are the
``X-User`` header, their saved locale preference a dict.
"""

from datetime import date, datetime, timedelta, timezone

from pyramid.config import Configurator
from pyramid.csrf import get_csrf_token
from pyramid.response import Response
from pyramid.session import SignedCookieSessionFactory
from wtforms import StringField
from wtforms.validators import DataRequired, ValidationError

from i18n_tool.pyramid import LocalizedForm
from i18n_tool.pyramid import lazy_gettext as _

USER_LOCALES: dict = {}  # user name -> locale: the "database"
SAVED: list = []  # (user, locale) as save_user_locale saw them


def user_locale(request):
    return USER_LOCALES.get(request.headers.get("X-User"))


def save_user_locale(request, locale):
    user = request.headers.get("X-User")
    SAVED.append((user, locale))
    if user:
        USER_LOCALES[user] = locale


def broken_user_locale(request):
    raise RuntimeError("the user database is down")


def on_the_list(form, field):
    if field.data and field.data != "ada@example.org":
        raise ValidationError(_("Not on the list."))


class SignupForm(LocalizedForm):
    email = StringField(_("Email"), validators=[DataRequired()])
    confirm = StringField(label=_("Email"), validators=[DataRequired(message=_("Please enter your email."))])
    invited = StringField("Invited", validators=[on_the_list])


def page(request):
    now = datetime.now(timezone.utc)
    return {
        "name": request.GET.get("name", "<b>Ada</b>"),
        "n": int(request.GET.get("n", "3")),
        "url": '/guide?a=1&b="2"',
        "day": date(2024, 3, 5),
        "moment": datetime(2024, 3, 5, 14, 30, tzinfo=timezone.utc),
        "three_days_ago": now - timedelta(days=3, minutes=1),
        "span": timedelta(hours=2),
        "csrf_token": get_csrf_token(request),
    }


def whoami(request):
    return {"locale": request.locale_name, "tag": request.locale_tag, "dir": request.locale_dir,
            "available": request.available_locales}


def form(request):
    signup = SignupForm(request.POST, meta={"request": request})
    signup.validate()
    return {"labels": {field.name: field.label.text for field in signup}, "errors": signup.errors}


def form_threadlocal(request):
    signup = SignupForm(request.POST)  # no meta: the current request is found
    signup.validate()
    return {"labels": {field.name: field.label.text for field in signup}, "errors": signup.errors}


def plain(request):
    return Response("<p>no locale here</p>", content_type="text/html")


def vary_origin(request):
    response = Response(f"<p>{request.locale_name}</p>", content_type="text/html")
    response.vary = ("Origin",)
    return response


def make_app(settings):
    config = Configurator(settings=settings)
    config.set_session_factory(SignedCookieSessionFactory("test-secret", secure=False))
    config.include("pyramid_jinja2")
    config.include("i18n_tool.pyramid")
    config.add_route("page", "/")
    config.add_view(page, route_name="page", renderer="tests.functional.pyramid_app:templates/page.jinja2")
    config.add_route("whoami", "/whoami")
    config.add_view(whoami, route_name="whoami", renderer="json")
    config.add_route("form", "/form")
    config.add_view(form, route_name="form", renderer="json")
    config.add_route("form_threadlocal", "/form-threadlocal")
    config.add_view(form_threadlocal, route_name="form_threadlocal", renderer="json")
    config.add_route("plain", "/plain")
    config.add_view(plain, route_name="plain")
    config.add_route("vary", "/vary")
    config.add_view(vary_origin, route_name="vary")
    return config.make_wsgi_app()
