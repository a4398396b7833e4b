"""A deterministic source tree of a Pyramid + Jinja2 app, for extraction benchmarks and conformance tests.

``generate(root)`` writes ``root/babel.cfg`` and ``root/app/``: Jinja2 pages and partials like
Warehouse's, email folders (``subject.txt``, ``body.txt``, ``body.html``) and Python modules.
The text is built from the small phrase tables below, so the same seed always gives the same
bytes.  About one page in five and three modules in five hold no translatable message.

    python -m benchmarks.corpus DIR      # generate, validate, and count messages with pybabel
"""

import itertools
import random
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

# The mapping pybabel and i18n-tool both read.  Babel matches these patterns against paths
# relative to the *input directory* given on the command line (``app``), not to the current
# directory: ``[python: app/**.py]`` would match nothing with ``pybabel extract ... app``.
BABEL_CFG = """\
[python: **.py]
[jinja2: templates/**.html]
[jinja2: templates/email/**.txt]
"""

# ---------------------------------------------------------------------------------------------
# Phrase tables
# ---------------------------------------------------------------------------------------------

# Short interface strings that real sites repeat on most pages.
COMMON = [
    "Log in", "Log out", "Register", "Help", "Search", "Search PyPI", "Search projects",
    "Your account", "Your projects", "Account settings", "Cancel", "Save changes", "Delete",
    "Remove", "Close", "Submit", "Back", "Next", "Previous", "Skip to main content",
    "Main navigation", "Loading…", "Read more →", "Show more", "Show less", "Copy to clipboard",
    "Copied", "Yes", "No", "Confirm", "Continue", "Edit", "Settings", "Details", "Sponsors",
    "Donate today!", "Status", "Privacy policy", "Terms of use", "Code of conduct",
    "Report a security issue", "Sort by", "Filter by classifier", "Clear filters",
    "Newest first", "Relevance", "Date last updated", "Manage", "View", "Back to top",
    "Last updated", "Released", "Uploaded by", "Verified", "Unverified",
    "Don’t have an account?", "Forgot password?", "Something went wrong", "Try again",
    "Python Package Index", "PyPI — the Python Package Index", "About PyPI",
    "Contributing to PyPI", "Using PyPI", "Supported by", "Navigation", "Project links",
    "Meta", "Maintainers", "Classifiers", "Release history", "Download files",
    "Project description", "Statistics", "Security history", "Notifications",
]

# (context, message) for pgettext and {% trans "context" %}.
CONTEXT = [
    ("menu", "Open"), ("menu", "Manage"), ("verb", "Release"), ("noun", "Release"),
    ("button", "Remove"), ("button", "Add"), ("table header", "Name"),
    ("table header", "Version"), ("table header", "Created"), ("table header", "Last used"),
    ("table header", "Actions"), ("project status", "Archived"), ("project status", "Yanked"),
    ("navigation", "Projects"), ("navigation", "Account"), ("role", "Owner"),
    ("role", "Maintainer"), ("email status", "Primary"), ("2FA method", "Security key"),
    ("2FA method", "Authentication app"),
]

# (context, singular, plural) for npgettext and {% trans "context" count=... %}.
CONTEXT_PLURALS = [
    ("search results", "%(count)s project found", "%(count)s projects found"),
    ("release files", "%(count)s file", "%(count)s files"),
    ("sidebar", "%(count)s maintainer", "%(count)s maintainers"),
    ("audit log", "%(count)s event", "%(count)s events"),
]

# Sentences for help text and the paragraphs of {% trans trimmed %} blocks.
HELP = [
    "PyPI helps you find and install software developed and shared by the Python community.",
    "Two-factor authentication adds an additional layer of security to your account.",
    "Each recovery code can only be used once.",
    "Store your recovery codes somewhere safe; you will need them if you lose your device.",
    "API tokens provide an alternative way to authenticate when uploading packages.",
    "A token scoped to a single project can only upload new releases of that project.",
    "Yanked releases remain installable when they are pinned to an exact version.",
    "Deleting a project is irreversible and will make its name available to anyone.",
    "Trusted publishing lets you upload from your CI system without long-lived tokens.",
    "Verified details have been checked by PyPI; unverified details come from the maintainers.",
    "Search results are ranked by relevance and recent activity.",
    "Package names are normalized, so “My-Package” and “my_package” are the same project.",
    "Your primary email address is used for account recovery and security notices.",
    "You will receive an email with a link to verify your address.",
    "Uploads are 100% free for open source projects.",
    "Organizations let teams of people share ownership of projects.",
    "Pending invitations expire after 6 hours and can be resent at any time.",
    "Security keys are the most secure second factor available.",
    "We recommend enabling two-factor authentication on every account that can publish.",
    "Removing your last two-factor method will disable two-factor authentication.",
    "Sessions are signed out automatically after 12 hours of inactivity.",
    "Descriptions are rendered from reStructuredText, Markdown or plain text.",
    "Files cannot be replaced once they have been uploaded, even after deletion.",
    "Your password must be at least 8 characters long.",
    "Audit events are kept for 90 days.",
    "Maintainers can upload releases but cannot manage collaborators.",
    "Owners can upload releases, add collaborators and delete the project.",
    "Don’t worry, this won’t affect your existing releases.",
    'Read the <a href="%(href)s">documentation</a> for more information.',
    'See the <a href="%(href)s" title="%(title)s">help page</a> to learn more.',
    'For help, contact <a href="mailto:%(email)s">%(email)s</a>.',
    'You can <a href="%(href)s">manage your account settings</a> at any time.',
]

# Sentences about one topic ({noun} {verb} ...), filled from TOPICS.
TITLES = [
    "{Verb} {noun}", "{Verb} {a} {noun}", "{Verb} this {noun}", "{Nouns}", "Your {nouns}",
    "{Noun} settings", "{Noun} history", "Manage {nouns}", "No {nouns} found",
    "{Verb} {noun} for %(project)s", "{Noun} details for %(name)s",
]
SENTENCES = [
    "Are you sure you want to {verb} this {noun}?",
    "This {noun} has been {done}.",
    "Your {noun} was {done} successfully.",
    "You have not {done} any {nouns} yet.",
    "You do not have permission to {verb} this {noun}.",
    "There was a problem {doing} your {noun}. Please try again.",
    "Learn more about {doing} {nouns}.",
    "Only project owners can {verb} {nouns}.",
    "{Doing} {a} {noun} cannot be undone.",
    "Once {done}, the {noun} is visible to all maintainers.",
    "Warning: you are about to {verb} this {noun}.",
    "How do I {verb} {a} {noun}?",
    "%(username)s {done} the {noun} %(name)s.",
    "The {noun} %(name)s has been {done}.",
    "Could not {verb} {noun}: %(error)s",
    "{Noun} {done} on %(date)s",
    "{Nouns} {done} by %(username)s appear in the security history.",
]
PLURALS = [
    ("%(count)s {noun}", "%(count)s {nouns}"),
    ("One {noun} was {done}.", "%(count)s {nouns} were {done}."),
    ("%(username)s has %(count)s {noun}", "%(username)s has %(count)s {nouns}"),
    ("You have %(count)s pending {noun}", "You have %(count)s pending {nouns}"),
]
EMAIL = [
    "Someone, perhaps you, has made a change to your PyPI account.",
    "If you did not make this change, reset your password immediately: %(url)s",
    "To verify your email address, visit the following link: %(url)s",
    "This link will expire in 6 hours.",
    "If you have questions, reply to this email or contact %(email)s.",
    "You are receiving this because you are an owner of %(project)s.",
    "Please contact the project owners if you believe this was made in error.",
]
TRANSLATOR_NOTES = [
    "button label, keep it short",
    "%(count)s is a number of items",
    "shown in the browser tab title",
    "'yank' marks a release as not installable by default",
    "do not translate 'PyPI'",
    "%(username)s is the name of the user who made the change",
    "heading of a confirmation dialog",
]

# noun, plural, verbs that make sense for it
NOUNS = [
    ("project", "projects", "create delete transfer rename archive"),
    ("release", "releases", "yank delete publish"),
    ("file", "files", "upload delete download"),
    ("API token", "API tokens", "create revoke rename"),
    ("email address", "email addresses", "add verify remove"),
    ("recovery code", "recovery codes", "generate use"),
    ("security key", "security keys", "add remove rename"),
    ("collaborator", "collaborators", "invite remove"),
    ("organization", "organizations", "create rename delete"),
    ("team", "teams", "create rename delete"),
    ("trusted publisher", "trusted publishers", "add remove"),
    ("invitation", "invitations", "send accept decline revoke"),
    ("account", "accounts", "create delete verify"),
    ("authentication app", "authentication apps", "add remove"),
    ("role", "roles", "add change remove"),
    ("session", "sessions", "revoke"),
    ("classifier", "classifiers", "add deprecate"),
    ("sponsor", "sponsors", "add edit"),
    ("banner", "banners", "create edit delete"),
    ("report", "reports", "submit review close"),
    ("password", "passwords", "change reset"),
    ("webhook", "webhooks", "add delete test"),
    ("description", "descriptions", "edit render"),
]
VERBS = {  # verb: (past participle, present participle)
    "create": ("created", "creating"), "delete": ("deleted", "deleting"),
    "transfer": ("transferred", "transferring"), "rename": ("renamed", "renaming"),
    "archive": ("archived", "archiving"), "yank": ("yanked", "yanking"),
    "publish": ("published", "publishing"), "upload": ("uploaded", "uploading"),
    "download": ("downloaded", "downloading"), "revoke": ("revoked", "revoking"),
    "add": ("added", "adding"), "verify": ("verified", "verifying"),
    "remove": ("removed", "removing"), "generate": ("generated", "generating"),
    "use": ("used", "using"), "invite": ("invited", "inviting"), "send": ("sent", "sending"),
    "accept": ("accepted", "accepting"), "decline": ("declined", "declining"),
    "change": ("changed", "changing"), "deprecate": ("deprecated", "deprecating"),
    "edit": ("edited", "editing"), "submit": ("submitted", "submitting"),
    "review": ("reviewed", "reviewing"), "close": ("closed", "closing"),
    "reset": ("reset", "resetting"), "test": ("tested", "testing"),
    "render": ("rendered", "rendering"),
}

# Jinja2 / Python expressions bound to each placeholder name.
JINJA_EXPR = {
    "project": "project.name", "name": "item.name", "username": "user.username",
    "version": "release.version", "email": "request.registry.settings['mail.sender']",
    "date": "item.created|format_date", "error": "form.errors|first", "title": "page_title",
    "href": "request.route_path('help')", "url": "request.route_url('accounts.login')",
    "site": "request.registry.settings['site.name']",
}
PY_EXPR = {
    "project": "project.name", "name": "item.name", "username": "request.user.username",
    "version": "release.version", "email": 'request.registry.settings["mail.sender"]',
    "date": "item.created.date().isoformat()", "error": "str(exc)", "title": "page_title",
    "href": 'request.route_path("help")', "url": 'request.route_url("accounts.login")',
    "site": 'request.registry.settings["site.name"]', "count": "len(items)",
}
COUNT_EXPR = ["project.releases|length", "files|length", "page.item_count",
              "user.projects|length", "tokens|length"]
ROUTES = ["manage.project.settings", "manage.account", "accounts.profile", "packaging.project",
          "packaging.release", "search", "help", "manage.organization.teams", "admin.user.detail"]
FIELDS = [  # name, label, input type, placeholder
    ("username", "Username", "text", "Your username"),
    ("password", "Password", "password", "Your password"),
    ("email", "Email address", "email", "you@example.com"),
    ("full_name", "Name", "text", "Your name"),
    ("description", "Description", "textarea", ""),
    ("token_name", "Token name", "text", "What is this token for?"),
    ("totp_value", "Authentication code", "text", "Enter the 6-digit code"),
    ("project_name", "Project name", "text", "Enter the project name to confirm"),
    ("new_password", "New password", "password", ""),
    ("password_confirm", "Confirm password", "password", ""),
    ("url", "Website URL", "url", "https://example.com"),
    ("reason", "Reason", "textarea", "Tell us what happened"),
]
SECTIONS = ["accounts", "manage", "packaging", "search", "admin", "help", "organizations",
            "security", "pages", "legal", "sponsors", "includes", "errors", "stats", "profile"]
PAGE_KINDS = ["list", "detail", "settings", "history", "delete", "new", "edit", "confirm",
              "overview", "help", "index", "modal", "sidebar", "table", "card"]
PACKAGES = ["accounts", "manage", "packaging", "admin", "forklift", "search", "email", "utils",
            "organizations", "security", "legacy", "integrations"]
MODULE_KINDS = ["views", "forms", "models", "services", "tasks", "utils", "interfaces",
                "events", "security", "schemas"]
WORDS = ["name", "summary", "version", "author", "license", "created", "homepage",
         "requires_python", "keywords", "platform"]

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
UNTRANSLATED_PAGES = 0.2  # share of pages and partials with no message at all
TRANSLATED_MODULES = 0.4  # share of Python modules with gettext calls


@dataclass(frozen=True)
class CorpusInfo:
    root: Path
    files: int  # source files written under root/app
    templates: int
    modules: int
    emails: int


@dataclass(frozen=True)
class Topic:
    noun: str
    nouns: str
    verb: str
    done: str
    doing: str

    def fill(self, pattern: str) -> str:
        cap = lambda s: s[0].upper() + s[1:]  # noqa: E731 - keeps "API token" as is
        return pattern.format(
            noun=self.noun, nouns=self.nouns, Noun=cap(self.noun), Nouns=cap(self.nouns),
            verb=self.verb, Verb=cap(self.verb), done=self.done, doing=self.doing,
            Doing=cap(self.doing), a="an" if self.noun[0].lower() in "aeiou" else "a",
        )

    @property
    def slug(self) -> str:
        return self.noun.lower().replace(" ", "-")

    @property
    def ident(self) -> str:
        return self.noun.lower().replace(" ", "_")

    @property
    def cls(self) -> str:
        return "".join(word.capitalize() for word in self.noun.split())


TOPICS = [
    Topic(noun, nouns, verb, *VERBS[verb])
    for noun, nouns, verbs in NOUNS
    for verb in verbs.split()
]


def unique(name: str, taken: set) -> str:
    """``name``, or ``name-2``, ``name-3``... if already taken."""
    candidate, n = name, 1
    while candidate in taken:
        n += 1
        candidate = f"{name}-{n}"
    taken.add(candidate)
    return candidate


def render(lines: list) -> str:
    """Join nested lists of lines; continuation lines of a multi-line item keep its indent."""
    out = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            first, *rest = item.split("\n")
            indent = first[: len(first) - len(first.lstrip())]
            out.append(first)
            out.extend(indent + line if line else line for line in rest)

    walk(lines)
    return "\n".join(line.rstrip() for line in out) + "\n"


def indent(lines: list, n: int = 2) -> list:
    return [indent(line, n) if isinstance(line, list) else " " * n + line for line in lines]


# ---------------------------------------------------------------------------------------------
# Jinja2 markup for one message
# ---------------------------------------------------------------------------------------------


class JinjaText:
    """Writes a page's translatable text as Jinja2 i18n markup, or as variables when untranslated."""

    def __init__(self, rng: random.Random, translate: bool):
        self.rng = rng
        self.translate = translate

    def quote(self, text: str) -> str:
        return f'"{text}"' if "'" in text else f"'{text}'"

    def bindings(self, names: list) -> str:
        """``name=expr`` for most placeholders; the others are looked up in the template context."""
        names = list(dict.fromkeys(names))
        return ", ".join(f"{n}={JINJA_EXPR[n]}" for n in names if n in JINJA_EXPR and self.rng.random() < 0.7)

    def trans(self, text: str, context: str = "", trimmed: bool = False) -> str:
        head = " ".join(filter(None, [
            "trans", self.quote(context) if context else "", "trimmed" if trimmed else "",
            self.bindings(PLACEHOLDER.findall(text)),
        ]))
        body = PLACEHOLDER.sub(r"{{ \1 }}", text)
        if trimmed:
            wrapped = textwrap.wrap(text, 72, break_on_hyphens=False)
            body = "\n".join("  " + PLACEHOLDER.sub(r"{{ \1 }}", line) for line in wrapped)
            return f"{{% {head} %}}\n{body}\n{{% endtrans %}}"
        return f"{{% {head} %}}{body}{{% endtrans %}}"

    def call(self, text: str) -> str:
        names = list(dict.fromkeys(PLACEHOLDER.findall(text)))
        func = self.rng.choice(["_", "gettext"])
        if not names:
            return f"{{{{ {func}({self.quote(text)}) }}}}"
        style = self.rng.random()
        if style < 0.2:  # str.format placeholders
            fmt = PLACEHOLDER.sub(r"{\1}", text)
            args = ", ".join(f"{n}={JINJA_EXPR.get(n, n)}" for n in names)
            return f"{{{{ {func}({self.quote(fmt)}).format({args}) }}}}"
        if style < 0.35:  # pyramid TranslationString placeholders
            fmt = PLACEHOLDER.sub(r"${\1}", text)
            args = ", ".join(f"'{n}': {JINJA_EXPR.get(n, n)}" for n in names)
            return f"{{{{ _({self.quote(fmt)}, mapping={{{args}}}) }}}}"
        args = ", ".join(f"{n}={JINJA_EXPR.get(n, n)}" for n in names)
        if style < 0.7:
            return f"{{{{ {func}({self.quote(text)})|format({args}) }}}}"
        return f"{{{{ gettext({self.quote(text)}, {args}) }}}}"

    def msg(self, text: str) -> str:
        """One message, inline."""
        if not self.translate:
            return self.rng.choice(["{{ label }}", "{{ item.title }}", "{{ page_title }}", "{{ item.name }}"])
        if self.rng.random() < 0.03:  # untrimmed block over several lines: newlines are kept
            return "{% trans %}\n  " + PLACEHOLDER.sub(r"{{ \1 }}", text) + "\n{% endtrans %}"
        if "'" in text and '"' in text or self.rng.random() < 0.55:
            return self.trans(text)
        return self.call(text)

    def attr(self, text: str) -> str:
        """A message inside an HTML attribute value: always an expression."""
        if not self.translate:
            return "{{ label }}"
        return self.call(text) if '"' not in text else self.trans(text)

    def paragraph(self, sentences: list) -> str:
        if not self.translate:
            return "{{ item.description|safe }}"
        return self.trans(" ".join(sentences), trimmed=True)

    def context(self, pair: tuple) -> str:
        context, text = pair
        if not self.translate:
            return f"{{{{ {context.replace(' ', '_').replace('2', 'two_')}_label }}}}"
        if self.rng.random() < 0.5:
            return self.trans(text, context=context)
        return f"{{{{ pgettext({self.quote(context)}, {self.quote(text)}) }}}}"

    def plural(self, topic: Topic) -> str:
        count = self.rng.choice(COUNT_EXPR)
        if not self.translate:
            return f"{{{{ {count} }}}} {{{{ label }}}}"
        context = ""
        if self.rng.random() < 0.2:
            context, singular, plural = self.rng.choice(CONTEXT_PLURALS)
        else:
            singular, plural = (topic.fill(p) for p in self.rng.choice(PLURALS))
        if self.rng.random() < 0.35:
            func = f"npgettext({self.quote(context)}, " if context else "ngettext("
            return (f"{{{{ {func}{self.quote(singular)}, {self.quote(plural)}, {count})"
                    f"|format(count={count}) }}}}")
        others = [n for n in PLACEHOLDER.findall(singular + plural) if n != "count"]
        bound = ", ".join(f"{n}={JINJA_EXPR[n]}" for n in dict.fromkeys(others))
        ctx = f"{self.quote(context)} " if context else ""
        if bound and self.rng.random() < 0.5:  # count is not first: name it in pluralize
            head, pluralize = f"trans {ctx}{bound}, count={count}", "pluralize count"
        else:
            head, pluralize = f"trans {ctx}" + ", ".join(filter(None, [f"count={count}", bound])), "pluralize"
        sub = lambda s: PLACEHOLDER.sub(r"{{ \1 }}", s)  # noqa: E731
        return f"{{% {head} %}}{sub(singular)}{{% {pluralize} %}}{sub(plural)}{{% endtrans %}}"

    def note(self) -> list:
        """Sometimes a translator comment, on the line before the next message."""
        if self.translate and self.rng.random() < 0.08:
            return [f"{{# Translators: {self.rng.choice(TRANSLATOR_NOTES)} #}}"]
        return []


# ---------------------------------------------------------------------------------------------
# Pieces of a page (each returns a list of lines)
# ---------------------------------------------------------------------------------------------


def deal(rng: random.Random, kinds: list):
    """Names from ``kinds`` in random order, each once before any repeats."""
    while True:
        deck = list(kinds)
        rng.shuffle(deck)
        yield from deck


class Page:
    """The pieces of one Jinja2 page about one noun (each piece is a list of lines)."""

    def __init__(self, rng: random.Random, translate: bool, topic: Topic):
        self.rng, self.topic = rng, topic
        self.topics = [t for t in TOPICS if t.noun == topic.noun]
        self.t = JinjaText(rng, translate)

    def fill(self, pattern: str) -> str:
        return self.rng.choice(self.topics).fill(pattern)

    def common(self) -> str:
        return self.t.msg(self.rng.choice(COMMON))

    def title(self) -> str:
        return self.t.msg(self.fill(self.rng.choice(TITLES)))

    def sentence(self) -> str:
        if self.rng.random() < 0.4:
            return self.t.msg(self.rng.choice(HELP))
        return self.t.msg(self.fill(self.rng.choice(SENTENCES)))

    def paragraph(self) -> str:
        sentences = self.rng.sample(HELP, self.rng.randint(1, 2))
        sentences.insert(self.rng.randint(0, len(sentences)), self.fill(self.rng.choice(SENTENCES)))
        return self.t.paragraph(sentences)

    def route(self) -> str:
        return f"{{{{ request.route_path('{self.rng.choice(ROUTES)}', name=item.name) }}}}"

    # -- pieces with messages ---------------------------------------------------------------

    def heading(self):
        return [*self.t.note(), f'<h1 class="page-title">{self.title()}</h1>',
                f'<p class="lead">{self.sentence()}</p>']

    def table(self):
        slug = self.topic.slug
        headers = [f'<th scope="col">{self.t.context(pair)}</th>'
                   for pair in self.rng.sample(CONTEXT, self.rng.randint(2, 4))]
        return [
            f'<table class="table table--{slug}">',
            f'  <caption class="sr-only">{self.title()}</caption>',
            "  <thead>", "    <tr>", *indent(headers, 6), "    </tr>", "  </thead>", "  <tbody>",
            f"    {{% for item in {self.topic.ident}s %}}",
            "    <tr>",
            f'      <th scope="row"><a href="{self.route()}" class="table__link">{{{{ item.name }}}}</a></th>',
            "      <td>{{ item.created|format_date }}</td>",
            '      <td class="table__align-right">',
            f'        <a href="{self.route()}" class="button button--small" title="{self.t.attr(self.fill("{Verb} {noun}"))}">',
            f"          {self.common()}",
            "        </a>",
            "      </td>",
            "    </tr>",
            "    {% else %}",
            f'    <tr><td colspan="3">{self.t.msg(self.fill("No {nouns} found"))}</td></tr>',
            "    {% endfor %}",
            "  </tbody>",
            "</table>",
        ]

    def field(self, name, label, kind, placeholder):
        tag = (f'<textarea name="{name}" id="{name}" rows="5" class="form-group__field"'
               f' aria-describedby="{name}-errors">{{{{ form.{name}.data or "" }}}}</textarea>'
               if kind == "textarea" else
               f'<input name="{name}" id="{name}" type="{kind}" class="form-group__field"'
               + (f' placeholder="{self.t.attr(placeholder)}"' if placeholder else "")
               + f' aria-describedby="{name}-errors"'
               + f'{{% if form.{name}.errors %}} aria-invalid="true"{{% endif %}}>')
        help_text = [f'  <p class="form-group__help-text">{self.sentence()}</p>'] if self.rng.random() < 0.3 else []
        return [
            '<div class="form-group">',
            f'  <label for="{name}" class="form-group__label">',
            f"    {self.t.msg(label)}",
            f"    {{% if form.{name}.flags.required %}}",
            f'    <span class="form-group__required">{self.t.msg("(required)")}</span>',
            "    {% endif %}",
            "  </label>",
            f"  {tag}",
            f'  <div id="{name}-errors">',
            f"    {{% if form.{name}.errors %}}",
            '    <ul class="form-errors" role="alert">',
            f"      {{% for error in form.{name}.errors %}}<li>{{{{ error }}}}</li>{{% endfor %}}",
            "    </ul>",
            "    {% endif %}",
            "  </div>",
            *help_text,
            "</div>",
        ]

    def form(self):
        fields = self.rng.sample(FIELDS, self.rng.randint(1, 3))
        submit = self.rng.choice(["Save changes", "Submit", "Continue", self.fill("{Verb} {noun}")])
        return [
            f'<form method="POST" action="{{{{ request.current_route_path() }}}}" class="form form--{self.topic.slug}">',
            '  <input name="csrf_token" type="hidden" value="{{ request.session.get_csrf_token() }}">',
            *indent([line for f in fields for line in self.field(*f)]),
            f'  <input type="submit" class="button button--primary" value="{self.t.attr(submit)}">',
            "</form>",
        ]

    def callout(self):
        check = self.rng.choice(["user.has_two_factor", "project.archived", "not items",
                                 "request.user.primary_email.verified", "release.yanked"])
        return [
            f"{{% if {check} %}}",
            '<div class="callout-block callout-block--success">',
            *indent(self.t.note()),
            f"  <p>{self.sentence()}</p>",
            "</div>",
            "{% else %}",
            '<div class="callout-block callout-block--warning">',
            f"  <p>{self.paragraph()}</p>",
            f'  <a href="{self.route()}" class="button">{self.title()}</a>',
            "</div>",
            "{% endif %}",
        ]

    def summary(self):
        return [*self.t.note(), f'<p class="package-summary">{self.t.plural(self.rng.choice(self.topics))}</p>']

    def tabs(self):
        tabs = [f'<li><a href="{self.route()}" class="horizontal-tabs__tab">{self.t.context(pair)}</a></li>'
                for pair in self.rng.sample(CONTEXT, self.rng.randint(2, 4))]
        return [f'<nav class="horizontal-tabs" aria-label="{self.t.attr(self.rng.choice(COMMON))}">',
                "  <ul>", *indent(tabs, 4), "  </ul>", "</nav>"]

    def modal(self):
        topic = self.rng.choice(self.topics)
        return [
            f'<div class="modal" id="{topic.verb}-{topic.slug}-modal">',
            '  <div class="modal__content" role="dialog">',
            f'    <form method="POST" class="modal__form" action="{self.route()}">',
            '      <input name="csrf_token" type="hidden" value="{{ request.session.get_csrf_token() }}">',
            '      <div class="modal__body">',
            *indent(self.t.note(), 8),
            f'        <h3 class="modal__title">{self.t.msg(topic.fill("{Verb} {noun} %(name)s?"))}</h3>',
            f'        <div class="callout-block callout-block--danger"><p>{self.sentence()}</p></div>',
            f'        <label for="confirm-{topic.slug}">{self.t.msg("Type %(name)s to confirm")}</label>',
            f'        <input name="confirm_{topic.ident}" id="confirm-{topic.slug}" type="text" autocomplete="off" autocapitalize="off">',
            "      </div>",
            '      <div class="modal__footer">',
            f'        <a href="#modal-close" class="button modal__action">{self.t.msg("Cancel")}</a>',
            f'        <button class="button button--danger modal__action" type="submit">{self.t.msg(topic.fill("{Verb} {noun}"))}</button>',
            "      </div>",
            "    </form>",
            "  </div>",
            "</div>",
        ]

    def faq(self):
        topic = self.rng.choice(self.topics)
        return [f'<section class="help-section" id="{topic.verb}-{topic.slug}">',
                *indent(self.t.note()), f"  <h2>{self.t.msg(topic.fill('How do I {verb} {a} {noun}?'))}</h2>",
                f"  <p>{self.paragraph()}</p>", "</section>"]

    # -- pieces without messages ------------------------------------------------------------

    def metadata(self):
        rows = [f'<li><strong>{{{{ "{w}"|replace("_", " ")|title }}}}:</strong> {{{{ release.{w} }}}}</li>'
                for w in self.rng.sample(WORDS, self.rng.randint(3, 7))]
        return ['<div class="sidebar-section">', '  <ul class="vertical-tabs__list">',
                *indent(rows, 4), "  </ul>", "</div>"]

    def cards(self):
        return [
            f"{{% for item in {self.topic.ident}s %}}",
            f'<a class="package-snippet" href="{self.route()}">',
            '  <h3 class="package-snippet__title">',
            '    <span class="package-snippet__name">{{ item.name }}</span>',
            '    <span class="package-snippet__version">{{ item.version }}</span>',
            '    <span class="package-snippet__created"><time datetime="{{ item.created }}">{{ item.created|format_date }}</time></span>',
            "  </h3>",
            '  <p class="package-snippet__description">{{ item.summary|truncate(120) }}</p>',
            "</a>",
            "{% endfor %}",
        ]

    def include(self):
        name = self.rng.choice(["flash-messages", "pagination", "sidebar", "breadcrumbs",
                                "project-header", "user-menu", "footer-links"])
        if self.rng.random() < 0.5:
            return [f'{{% include "includes/{name}.html" %}}']
        return ["{% with project=release.project, show_links=True %}",
                f'  {{% include "includes/{name}.html" %}}', "{% endwith %}"]

    def pagination(self):
        return [
            "{% if page.page_count > 1 %}",
            '<div class="button-group button-group--pagination">',
            "  {% for n in range(1, page.page_count + 1) %}",
            "  <a href=\"{{ request.current_route_path(_query={'page': n}) }}\" class=\"button-group__button{% if n == page.page %} button-group__button--active{% endif %}\">{{ n }}</a>",
            "  {% endfor %}",
            "</div>",
            "{% endif %}",
        ]

    def breadcrumbs(self):
        return [
            '<nav class="breadcrumbs" aria-label="{{ breadcrumbs_label }}">',
            "  <ol>",
            "    {% for crumb in breadcrumbs %}",
            '    <li class="breadcrumbs__item{% if loop.last %} breadcrumbs__item--current{% endif %}">',
            '      <a href="{{ crumb.url }}"{% if loop.last %} aria-current="page"{% endif %}>{{ crumb.title }}</a>',
            "    </li>",
            "    {% endfor %}",
            "  </ol>",
            "</nav>",
        ]

    def install(self):
        return [
            '<div class="package-header__pip-instructions">',
            '  <span id="pip-command">pip install {{ project.name }}{% if not release.is_latest %}=={{ release.version }}{% endif %}</span>',
            '  <button type="button" class="copy-tooltip" data-clipboard-target="#pip-command">',
            '    <i class="fa fa-copy" aria-hidden="true"></i>',
            "  </button>",
            "</div>",
        ]

    def files(self):
        return [
            '<div class="file">',
            "  {% for file in release.files|sort(attribute='filename') %}",
            '  <div class="file__card">',
            '    <a href="{{ file.url }}">{{ file.filename }}</a>',
            "    ({{ file.size|filesizeformat }})",
            '    <code class="file__hash">{{ file.sha256_digest[:12] }}</code>',
            '    {% if file.packagetype == "bdist_wheel" %}<span class="badge">wheel</span>{% endif %}',
            "  </div>",
            "  {% endfor %}",
            "</div>",
        ]

    def usercard(self):
        return [
            '<div class="author-profile">',
            '  <img src="{{ gravatar(request, user.email, size=140) }}" alt="" width="70" height="70">',
            '  <div class="author-profile__info">',
            '    <h2 class="author-profile__name">{{ user.name or user.username }}</h2>',
            '    <p class="author-profile__username">{{ user.username }}</p>',
            '    <time datetime="{{ user.date_joined.isoformat() }}">{{ user.date_joined|format_date }}</time>',
            "  </div>",
            "</div>",
        ]

    def script(self):
        return ["<script async src=\"{{ request.static_path('app:static/dist/js/main.js') }}\"",
                '        integrity="{{ integrity }}" crossorigin="anonymous"></script>']

    def icon(self):
        return ['<svg class="icon" aria-hidden="true" viewBox="0 0 16 16" width="16" height="16">',
                '  <path fill-rule="evenodd" d="M8 0a8 8 0 100 16A8 8 0 008 0zm1 12H7V7h2v5zm0-6H7V4h2v2z"></path>',
                "</svg>"]

    WITH_TEXT = ["table", "form", "callout", "summary", "tabs", "modal", "faq"]
    PLAIN = ["metadata", "cards", "include", "pagination", "breadcrumbs", "install", "files",
             "usercard", "script", "icon"]

    def body(self, target_lines: int, text_share: float = 0.17) -> list:
        lines = [self.heading()]
        with_text, plain = deal(self.rng, self.WITH_TEXT), deal(self.rng, self.PLAIN)
        while len(render(lines).splitlines()) < target_lines:
            piece = next(with_text if self.rng.random() < text_share else plain)
            lines.append(getattr(self, piece)())
        return lines


def page_template(rng: random.Random, translate: bool, topic: Topic, partial: bool) -> str:
    page = Page(rng, translate, topic)
    if partial:
        return render(page.body(rng.randint(15, 60))[1:])
    title = page.title()
    return render([
        '{% extends "layouts/base.html" %}',
        f"{{% block title %}}{title}{{% endblock %}}",
        "",
        "{% block content %}",
        f'<section class="{topic.slug}-page">',
        '  <div class="site-container">',
        *indent(page.body(rng.randint(30, 130)), 4),
        "  </div>",
        "</section>",
        "{% endblock %}",
    ])


def base_layout(rng: random.Random) -> str:
    page = Page(rng, True, rng.choice(TOPICS))
    nav = [f'<li><a href="{page.route()}" class="horizontal-menu__link">{page.common()}</a></li>'
           for _ in range(6)]
    links = [f'<li><a href="{page.route()}">{page.common()}</a></li>' for _ in range(8)]
    return render([
        "<!DOCTYPE html>",
        '<html lang="{{ request.locale.language }}" dir="{{ request.locale.text_direction }}">',
        "  <head>",
        '    <meta charset="utf-8">',
        '    <meta name="viewport" content="width=device-width, initial-scale=1">',
        f"    <title>{{% block title %}}{{% endblock %}} · {page.t.msg('PyPI')}</title>",
        f'    <meta name="description" content="{page.t.attr("The Python Package Index (PyPI) is a repository of software for the Python programming language.")}">',
        "  </head>",
        "  <body>",
        f'    <a href="#content" class="skip-to-content">{page.t.msg("Skip to main content")}</a>',
        f'    <nav class="horizontal-menu" aria-label="{page.t.attr("Main navigation")}">',
        "      <ul>", *indent(nav, 8), "      </ul>", "    </nav>",
        '    <main id="content">{% block content %}{% endblock %}</main>',
        '    <footer class="footer">',
        f"      <p>{page.t.trans('© %(year)s Python Software Foundation')}</p>",
        '      <ul class="footer__links">', *indent(links, 8), "      </ul>",
        "    </footer>",
        "  </body>",
        "</html>",
    ])


# ---------------------------------------------------------------------------------------------
# Email folders
# ---------------------------------------------------------------------------------------------


def email_paragraphs(rng: random.Random, topic: Topic) -> list:
    sentences = [topic.fill(rng.choice(SENTENCES[:12])), *rng.sample(EMAIL, rng.randint(2, 4))]
    return [sentences[0] + " " + sentences[1], *sentences[2:]]


def email_folder(rng: random.Random, topic: Topic) -> dict:
    t = JinjaText(rng, translate=True)
    subject = t.trans(topic.fill(rng.choice(["{Noun} {done}", "Your {noun} was {done}",
                                             "The {noun} %(name)s was {done}"])))
    paragraphs = email_paragraphs(rng, topic)
    greeting = t.trans("Hello %(username)s,")
    closing = [t.trans("Thanks,"), t.trans("The %(site)s team")]
    text_body = [greeting, ""]
    for p in paragraphs:
        text_body += [t.trans(p, trimmed=True), ""]
    html_body = ['{% extends "layouts/email.html" %}', "", "{% block content %}",
                 f"<p>{greeting}</p>"]
    for p in paragraphs:
        p = p.replace("%(url)s", '<a href="%(url)s">%(url)s</a>')
        html_body += ["<p>", f"  {t.trans(p, trimmed=True)}", "</p>"]
    html_body += [f"<p>{closing[0]}<br>{closing[1]}</p>", "{% endblock %}"]
    return {"subject.txt": render([subject]), "body.txt": render(text_body + closing),
            "body.html": render(html_body)}


def email_layout() -> str:
    return render([
        "<!DOCTYPE html>",
        "<html>",
        '  <body style="font-family: sans-serif; color: #464646;">',
        '    <table role="presentation" width="100%"><tr><td>{% block content %}{% endblock %}</td></tr></table>',
        "  </body>",
        "</html>",
    ])


# ---------------------------------------------------------------------------------------------
# Python modules
# ---------------------------------------------------------------------------------------------


def pystr(text: str) -> str:
    """A double-quoted literal; a long one becomes implicit concatenation over several lines."""
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    parts = textwrap.wrap(text, 60, drop_whitespace=False, break_on_hyphens=False)
    return "\n".join(f'"{part}"' for part in parts or [""])


def pylit(text: str) -> str:
    """A string literal usable anywhere: parenthesized when it spans lines."""
    literal = pystr(text)
    return literal if "\n" not in literal else "(\n    " + literal.replace("\n", "\n    ") + "\n)"


def pycall(func: str, *args: str) -> str:
    """``func(args)`` on one line, or one argument a line when that line would be long."""
    one_line = f"{func}({', '.join(args)})"
    if "\n" not in one_line and len(one_line) <= 72:
        return one_line
    lines = [arg.replace("\n", "\n    ") for arg in args]
    return f"{func}(\n    " + ",\n    ".join(lines) + ",\n)"


class PyText:
    """Writes a module's messages as gettext calls (Babel's default keywords only)."""

    def __init__(self, rng: random.Random, translate: bool):
        self.rng, self.translate = rng, translate

    def msg(self, text: str, in_view: bool = True) -> str:
        if not self.translate:
            return pylit(text)
        names = list(dict.fromkeys(PLACEHOLDER.findall(text)))
        func = self.rng.choice(["_", "_", "request._", "gettext"] if in_view else ["_", "gettext"])
        if not names:
            return pycall(func, pystr(text))
        style = self.rng.random()
        if style < 0.35:  # pyramid TranslationString
            mapping = ", ".join(f'"{n}": {PY_EXPR[n]}' for n in names)
            return pycall("_", pystr(PLACEHOLDER.sub(r"${\1}", text)), f"mapping={{{mapping}}}")
        if style < 0.6:
            args = ", ".join(f"{n}={PY_EXPR[n]}" for n in names)
            return pycall(func, pystr(PLACEHOLDER.sub(r"{\1}", text))) + f".format({args})"
        mapping = ", ".join(f'"{n}": {PY_EXPR[n]}' for n in names)
        return pycall(func, pystr(text)) + f" % {{{mapping}}}"

    def plural(self, topic: Topic) -> str:
        if self.rng.random() < 0.25:
            context, singular, plural = self.rng.choice(CONTEXT_PLURALS)
            call = pycall("npgettext", f'"{context}"', pystr(singular), pystr(plural), "len(items)")
        else:
            singular, plural = (topic.fill(p) for p in self.rng.choice(PLURALS))
            call = pycall("ngettext", pystr(singular), pystr(plural), "len(items)")
        if not self.translate:
            return pylit(plural)
        names = dict.fromkeys(PLACEHOLDER.findall(singular + plural))
        return call + " % {" + ", ".join(f'"{n}": {PY_EXPR[n]}' for n in names) + "}"

    def context(self, pair: tuple) -> str:
        context, text = pair
        return f'pgettext("{context}", "{text}")' if self.translate else f'"{text}"'

    def note(self) -> list:
        if self.translate and self.rng.random() < 0.15:
            return [f"# Translators: {self.rng.choice(TRANSLATOR_NOTES)}"]
        return []


class Module:
    """The pieces of one Python module; each piece returns (name it defines, lines)."""

    def __init__(self, rng: random.Random, translate: bool, topic: Topic):
        self.rng, self.topic = rng, topic
        self.t = PyText(rng, translate)
        own = [t for t in TOPICS if t.noun == topic.noun]
        rng.shuffle(own)
        self.topics = itertools.chain(own, deal(rng, TOPICS))

    def message(self, topic: Topic, in_view: bool = True) -> str:
        r = self.rng.random()
        if r < 0.15:
            text = self.rng.choice(COMMON)
        elif r < 0.35:
            text = self.rng.choice(HELP)
        else:
            text = topic.fill(self.rng.choice(SENTENCES + TITLES))
        return self.t.msg(text, in_view)

    def choices(self, topic: Topic):
        rows = [f'("{text.lower().replace(" ", "-")}", {self.t.context(pair)}),'
                for pair in self.rng.sample(CONTEXT, 3) for text in [pair[1]]]
        name = f"{topic.ident.upper()}_CHOICES"
        return name, [f"{name} = [", *indent(rows, 4), "]", "", ""]

    def model(self, topic: Topic):
        cols = [f"{w} = Column(String, nullable=True)" for w in self.rng.sample(WORDS, self.rng.randint(2, 6))]
        return topic.cls, [
            f"class {topic.cls}(db.Model):",
            f'    """A {topic.noun} stored in the database."""',
            "",
            f'    __tablename__ = "{topic.ident}s"',
            "",
            "    id = Column(Integer, primary_key=True)",
            *indent(cols, 4),
            "    created = Column(DateTime, nullable=False, server_default=sql.func.now())",
            "",
            "    def __repr__(self):",
            f'        return f"<{topic.cls} {{self.id}}>"',
            "",
            "",
        ]

    def form(self, topic: Topic):
        fields = []
        for name, label, kind, _placeholder in self.rng.sample(FIELDS, self.rng.randint(1, 3)):
            field = "wtforms.TextAreaField" if kind == "textarea" else "wtforms.StringField"
            fields += [
                f"{name} = {field}(",
                f"    label={self.t.msg(label, in_view=False)},",
                "    validators=[",
                f"        wtforms.validators.InputRequired(message={self.message(topic, in_view=False)}),",
                "        wtforms.validators.Length(max=100),",
                "    ],",
                ")",
            ]
        name = f"{topic.verb.capitalize()}{topic.cls}Form"
        return name, [
            f"class {name}(wtforms.Form):",
            *indent(fields, 4),
            "",
            "    def validate_name(self, field):",
            f"        if field.data in self.existing_{topic.ident}s:",
            *indent(self.t.note(), 12),
            f"            raise {pycall('wtforms.validators.ValidationError', self.message(topic, in_view=False))}",
            "",
            "",
        ]

    def view(self, topic: Topic):
        flashes = []
        for queue in self.rng.sample(["success", "error", "warning"], self.rng.randint(1, 2)):
            flashes += [
                "request.session.flash(",
                *indent(self.t.note(), 4),
                f"    {self.message(topic)},",
                f'    queue="{queue}",',
                ")",
            ]
        name = f"{topic.verb}_{topic.ident}"
        return name, [
            "@view_config(",
            f'    route_name="{self.rng.choice(ROUTES)}.{topic.verb}",',
            f'    renderer="manage/{topic.slug}-{topic.verb}.html",',
            "    uses_session=True,",
            '    require_methods=["POST"],',
            ")",
            f"def {name}(request):",
            f'    """{topic.fill("{Verb} {a} {noun}")} and tell the user how it went."""',
            f'    item = request.db.get({topic.cls}, request.matchdict["id"])',
            "    if item is None:",
            "        raise HTTPNotFound",
            f"    items = list(item.{topic.ident}s)",
            *indent(flashes, 4),
            *indent(self.t.note(), 4),
            f"    summary = {self.t.plural(topic)}",
            f'    return {{"{topic.ident}": item, "summary": summary, "title": {self.t.context(self.rng.choice(CONTEXT))}}}',
            "",
            "",
        ]

    def helper(self, topic: Topic):
        return self.rng.choice([
            (f"{topic.ident}_digest", [
                f"def {topic.ident}_digest(values):",
                f'    """Return a stable digest of the {topic.nouns}."""',
                "    hasher = hashlib.sha256()",
                "    for value in sorted(values):",
                '        hasher.update(value.encode("utf-8"))',
                "    return hasher.hexdigest()", "", ""]),
            (f"wait_for_{topic.ident}", [
                f"def wait_for_{topic.ident}(fetch, attempts=3):",
                '    """Call ``fetch`` until it returns something, a few times at most."""',
                "    for _ in range(attempts):",
                "        result = fetch()",
                "        if result is not None:",
                "            return result",
                f'    log.warning("no {topic.noun} after %d attempts", attempts)',
                "    return None", "", ""]),
            (f"{topic.ident}_extension", [
                f"def {topic.ident}_extension(filename):",
                '    """The file extension, lower-cased and without the dot."""',
                "    _, ext = os.path.splitext(filename)",
                '    return ext.lower().lstrip(".")', "", ""]),
            (f"{topic.verb}_all_{topic.ident}s", [
                f"def {topic.verb}_all_{topic.ident}s(request, items):",
                f'    """{topic.fill("{Verb} every {noun} in ``items``")}; report the failures."""',
                "    failures = {}",
                "    for item in items:",
                "        try:",
                f"            request.find_service(I{topic.cls}Service).{topic.verb}(item)",
                "        except ValueError as exc:",
                "            failures[item.id] = str(exc)",
                f'            log.info("could not {topic.verb} {topic.noun} %s: %s", item.id, exc)',
                "    return failures", "", ""]),
            (f"I{topic.cls}Service", [
                f"class I{topic.cls}Service(Interface):",
                f"    def {topic.verb}(item):",
                f'        """{topic.fill("{Verb} the given {noun}")}."""',
                "",
                f"    def find_{topic.ident}s(user_id):",
                f'        """Return the {topic.nouns} of a user, newest first."""',
                "", ""]),
        ])

    WITH_TEXT = ["choices", "form", "view", "view"]
    PLAIN = ["model", "helper", "helper"]

    def source(self, target_lines: int, translate: bool) -> str:
        lines = [
            f'"""{self.topic.fill("{Nouns}")}: {self.rng.choice(MODULE_KINDS)} of the app."""',
            "",
            "import hashlib",
            "import logging",
            "import os",
            "",
            "import wtforms",
            "from pyramid.httpexceptions import HTTPNotFound",
            "from pyramid.view import view_config",
            "from sqlalchemy import Column, DateTime, Integer, String, sql",
            "from zope.interface import Interface",
            "",
            "from app import db",
            *(["from app.i18n import gettext, localize as _, ngettext, npgettext, pgettext"] if translate else []),
            "",
            "log = logging.getLogger(__name__)",
            "",
            "",
        ]
        defined = set()
        while len(render(lines).splitlines()) < target_lines:
            kinds = self.WITH_TEXT if self.rng.random() < 0.4 else self.PLAIN
            name, piece = getattr(self, self.rng.choice(kinds))(next(self.topics))
            if name not in defined:
                defined.add(name)
                lines.append(piece)
        return render(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------------------------------------
# The tree
# ---------------------------------------------------------------------------------------------


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def generate(root: Path, templates: int = 1500, modules: int = 300, emails: int = 100,
             seed: int = 0) -> CorpusInfo:
    """Write the corpus into ``root`` (``root/app`` must not exist yet)."""
    root = Path(root)
    app = root / "app"
    if app.exists():
        raise FileExistsError(f"{app} already exists; generate into an empty directory")
    rng = random.Random(seed)
    write(root / "babel.cfg", BABEL_CFG)
    app.mkdir()
    tdir = app / "templates"

    fixed = [("layouts/base.html", base_layout(rng)), ("layouts/email.html", email_layout())]
    for path, text in fixed[:templates]:
        write(tdir / path, text)
    taken = set()
    pages = max(0, templates - len(fixed))
    untranslated = set(rng.sample(range(pages), round(pages * UNTRANSLATED_PAGES)))
    for i in range(pages):
        section, topic = rng.choice(SECTIONS), rng.choice(TOPICS)
        name = unique(f"{section}/{topic.slug}-{rng.choice(PAGE_KINDS)}", taken)
        translate = i not in untranslated
        write(tdir / f"{name}.html", page_template(rng, translate, topic, partial=section == "includes"))

    folders = rng.sample(TOPICS, len(TOPICS))
    for i in range(emails):
        topic = folders[i % len(folders)]
        audience = ["", "-to-owners", "-to-maintainers", "-to-admins"][i // len(folders) % 4]
        name = unique(f"{topic.slug}-{topic.done}{audience}", taken)
        for filename, text in email_folder(rng, topic).items():
            write(tdir / "email" / name / filename, text)

    translated = set(rng.sample(range(modules), round(modules * TRANSLATED_MODULES)))
    for i in range(modules):
        package, topic = rng.choice(PACKAGES), rng.choice(TOPICS)
        name = unique(f"{package}/{topic.ident}_{rng.choice(MODULE_KINDS)}", taken).replace("-", "_")
        translate = i in translated
        module = Module(rng, translate, topic)
        write(app / f"{name}.py", module.source(rng.randint(60, 290), translate))

    return CorpusInfo(root=root, files=templates + modules + 3 * emails,
                      templates=templates, modules=modules, emails=emails)


def describe(root: Path) -> CorpusInfo:
    """Count the files of a corpus already on disk."""
    app = Path(root, "app")
    emails = list(app.glob("templates/email/*/subject.txt"))
    templates = [p for p in (app / "templates").rglob("*.html") if p.parent.parent.name != "email"]
    modules = list(app.rglob("*.py"))
    return CorpusInfo(root=Path(root), files=len(templates) + len(modules) + 3 * len(emails),
                      templates=len(templates), modules=len(modules), emails=len(emails))


def validate(root: Path) -> int:
    """Parse every template with Jinja2 and compile every module; raise ValueError on any error.

    ``pybabel extract`` silently skips templates with syntax errors, so a broken generator would
    quietly shrink the corpus.  Returns the number of files checked.
    """
    import jinja2

    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    errors, checked = [], 0
    for path in sorted(Path(root, "app").rglob("*")):
        if path.suffix in (".html", ".txt"):
            try:
                env.parse(path.read_text(encoding="utf-8"))
            except jinja2.TemplateSyntaxError as exc:
                errors.append(f"{path}:{exc.lineno}: {exc.message}")
        elif path.suffix == ".py":
            try:
                compile(path.read_text(encoding="utf-8"), str(path), "exec")
            except SyntaxError as exc:
                errors.append(f"{path}:{exc.lineno}: {exc.msg}")
        else:
            continue
        checked += 1
    if errors:
        raise ValueError(f"{len(errors)} invalid files:\n" + "\n".join(errors[:20]))
    return checked


def pot_stats(pot: Path) -> tuple:
    """(occurrences, distinct messages) of a .pot file: locations summed, and catalog entries."""
    from babel.messages.pofile import read_po

    with open(pot, "rb") as handle:
        catalog = read_po(handle)
    messages = [m for m in catalog if m.id]
    return sum(len(m.locations) for m in messages), len(messages)


def pybabel_command(out: str = "pybabel.pot") -> list:
    """The pybabel command the benchmark times, run from the corpus root."""
    pybabel = Path(sys.executable).with_name("pybabel")
    return [str(pybabel), "extract", "-F", "babel.cfg", "-c", "Translators:", "-o", out, "app"]


def main(argv: list) -> int:
    if len(argv) != 1:
        print("usage: python -m benchmarks.corpus DIR", file=sys.stderr)
        return 2
    info = generate(Path(argv[0]))
    checked = validate(info.root)
    print(f"{info.root}: {info.files} files ({info.templates} templates, {info.modules} modules, "
          f"{info.emails} email folders); {checked} parsed without error")
    command = pybabel_command()
    if not Path(command[0]).exists():
        print(f"{command[0]} not found: message count skipped")
        return 0
    done = subprocess.run(command, cwd=info.root, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"error: pybabel failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return 2
    occurrences, distinct = pot_stats(info.root / "pybabel.pot")
    print(f"pybabel: {occurrences} message occurrences, {distinct} distinct messages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
