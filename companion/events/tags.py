"""The event vocabulary (Warehouse's tags, and ours), each with the sentence the history shows.

Sentences are lazy messages; ``${name}`` placeholders are filled from the event's ``additional``.
A tag whose sentence depends on a detail (the reason of a failure, the email sent) has one
sentence per value, under ``tag/value``.
"""

from __future__ import annotations

from i18n_tool.pyramid import _

TAGS = {
    "account:create": _("Account created"),
    "account:login:success": _("Logged in"),
    "account:login:failure": _("Failed login"),
    "account:logout": _("Logged out"),
    "account:password:change": _("Password changed"),
    "account:password:reset:request": _("Password reset requested"),
    "account:password:reset": _("Password reset with an emailed link"),
    "account:email:change": _("Email address changed"),
    "account:email:verified": _("Email address verified"),
    "account:email:sent": _("Email sent"),
    "account:locale:change": _("Preferred language changed"),
    "project:role:add": _("${username} was added to the project"),
    "project:role:remove": _("${username} was removed from the project"),
    "project:role:change": _("The role of ${username} was changed"),
    "admin:events:export": _("Security events exported"),
    "events:prune": _("Old security events removed"),
}

DETAILS = {
    "account:login:failure/bad_password": _("Failed login: wrong password"),
    "account:login:failure/unknown_user": _("Failed login: no such user"),
    "account:login:failure/rate_limited": _("Failed login: too many attempts"),
    "account:email:sent/verify-email": _("Email sent: address verification"),
    "account:email:sent/password-reset": _("Email sent: password reset link"),
    "account:email:sent/password-changed": _("Email sent: password change notice"),
}
DETAIL_KEYS = {"account:login:failure": "reason", "account:email:sent": "template"}

REASONS = ("bad_password", "unknown_user", "rate_limited")


def sentence(tag: str, additional: dict):
    """The lazy message for an event, with its mapping."""
    key = DETAIL_KEYS.get(tag)
    message = DETAILS.get(f"{tag}/{additional.get(key)}") if key else None
    message = message or TAGS.get(tag) or tag
    mapping = {name: str(value) for name, value in additional.items() if isinstance(value, str | int)}
    return message, mapping
