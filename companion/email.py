"""Emails: rendered from ``templates/email/<name>/`` in the recipient's language, sent after commit.

Each email is a folder with ``subject.txt``, ``body.txt`` and ``body.html`` (Jinja2 with
``{% trans %}``). They are rendered with a localizer for the *recipient's* preferred locale
(``User.preferred_locale``, else the default locale), never the requester's.

Delivery (the ``IMailer`` utility, pyramid_mailer's interface):

``mail.host``            SMTP through pyramid_mailer's Mailer (``mail.port``, ``mail.username``,
                         ``mail.password``, ``mail.tls``, ... as pyramid_mailer reads them)
``mail.dir``             without ``mail.host``: each message is written as an ``.eml`` file here
                         (default ``<var>/mail``, :func:`companion.settings.var_dir`)
``mail.default_sender``  the From address (default ``Companion <noreply@companion.invalid>``)

Messages go out only when the request's transaction commits: a request that fails sends nothing.
"""

from __future__ import annotations

import os
import re
import tempfile
import uuid
from pathlib import Path

from jinja2 import select_autoescape
from pyramid.i18n import make_localizer
from pyramid.interfaces import ITranslationDirectories
from pyramid_jinja2 import IJinja2Environment
from pyramid_mailer.interfaces import IMailer
from pyramid_mailer.mailer import Mailer
from pyramid_mailer.message import Message

from companion.settings import var_dir
from i18n_tool.pyramid import babel_locale, bcp47, direction, get_localization, match

DEFAULT_SENDER = "Companion <noreply@companion.invalid>"
EMAIL_ENV = "companion.email.jinja2"
LOCALIZERS = "companion.email.localizers"


class DirectoryMailer:
    """A Mailer-compatible delivery that writes each message to ``<directory>/<id>.eml``."""

    def __init__(self, directory, default_sender: str = DEFAULT_SENDER):
        self.directory = Path(directory)
        self.default_sender = default_sender

    def send_immediately(self, message: Message, fail_silently: bool = False) -> Path:
        if not message.sender:
            message.sender = self.default_sender
        self.directory.mkdir(parents=True, exist_ok=True)
        data = message.to_message().as_bytes()
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            path = self.directory / f"{uuid.uuid4().hex}.eml"
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        return path

    send = send_immediately


class _Recipient:
    """What the email templates (and i18n_tool's gettext callables) read from ``request``."""

    def __init__(self, request, localizer, code: str):
        self.registry = request.registry
        self.localizer = localizer
        self.locale_name = code
        self.locale_tag = bcp47(code)
        self.locale_dir = direction(code)
        self.babel_locale = babel_locale(code)


def localizer_for(request, locale: str | None):
    """Pyramid's localizer for ``locale`` (an available one, else the default) and the code used."""
    l10n = get_localization(request.registry)
    code = match(locale, l10n.available) or l10n.default_locale
    cache = request.registry.setdefault(LOCALIZERS, {})
    if code not in cache:
        dirs = request.registry.queryUtility(ITranslationDirectories) or []
        cache[code] = make_localizer(code, dirs)
    return cache[code], code


def _environment(request):
    env = request.registry.get(EMAIL_ENV)
    if env is None:
        # The app's environment (its gettext callables, trimmed policy), autoescaping .html only.
        base = request.registry.getUtility(IJinja2Environment, name=".html")
        env = base.overlay(autoescape=select_autoescape(enabled_extensions=("html",), default=False))
        request.registry[EMAIL_ENV] = env
    return env


def render_email(request, name: str, locale: str | None, **context) -> dict[str, str]:
    """``subject``, ``body`` and ``html`` of ``templates/email/<name>/`` in ``locale``."""
    localizer, code = localizer_for(request, locale)
    env = _environment(request)
    values = {**context, "request": _Recipient(request, localizer, code)}
    subject = env.get_template(f"email/{name}/subject.txt").render(values)
    return {
        "subject": re.sub(r"\s+", " ", subject).strip(),
        "body": env.get_template(f"email/{name}/body.txt").render(values).strip() + "\n",
        "html": env.get_template(f"email/{name}/body.html").render(values),
        "locale": code,
    }


def send_email(request, name: str, user, **context) -> Message:
    """Render ``name`` for ``user`` in their preferred language; send it when the request commits."""
    parts = render_email(request, name, user.preferred_locale, username=user.username, **context)
    settings = request.registry.settings
    message = Message(subject=parts["subject"], recipients=[user.email], body=parts["body"], html=parts["html"],
                      sender=settings.get("mail.default_sender") or DEFAULT_SENDER,
                      extra_headers={"Content-Language": bcp47(parts["locale"])})
    mailer = request.registry.getUtility(IMailer)
    request.record_event("account:email:sent", user, {"template": name, "recipient": user.email})

    def deliver(committed: bool) -> None:
        if committed:
            mailer.send_immediately(message)

    request.tm.get().addAfterCommitHook(deliver)
    return message


def includeme(config) -> None:
    settings = config.get_settings()
    if settings.get("mail.host"):
        mailer = Mailer.from_settings(settings, "mail.")
    else:
        directory = settings.get("mail.dir") or (var_dir() / "mail")
        mailer = DirectoryMailer(directory, settings.get("mail.default_sender") or DEFAULT_SENDER)
    config.registry.registerUtility(mailer, IMailer)
