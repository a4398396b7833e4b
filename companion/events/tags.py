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
    "account:reauthenticate:failure": _("Password not confirmed"),
    "account:two_factor:method_added": _("Two-factor method added"),
    "account:two_factor:method_removed": _("Two-factor method removed"),
    "account:two_factor:method_add_failure": _("A two-factor method was not added"),
    "account:two_factor:cloned_key": _("A security key was refused: it may have been copied"),
    "account:two_factor:login:success": _("Logged in with a second factor"),
    "account:two_factor:login:failure": _("Failed second step of a login"),
    "account:two_factor:code_reuse": _("A used code was refused: someone may know your password"),
    "account:recovery_codes:generated": _("Recovery codes generated"),
    "account:recovery_codes:regenerated": _("New recovery codes generated"),
    "account:recovery_codes:confirmed": _("Recovery codes confirmed as saved"),
    "account:recovery_codes:confirm_failure": _("Recovery codes not confirmed: wrong code"),
    "account:recovery_codes:used": _("Recovery code used to log in"),
    "admin:two_factor:reset": _("Second factor reset by an administrator"),
    "account:api_token:created": _("API token “${description}” created"),
    "account:api_token:removed": _("API token “${description}” revoked"),
    "account:api_token:leaked": _("API token “${description}” was found in public"),
    "project:role:add": _("${username} was added to the project"),
    "project:role:remove": _("${username} was removed from the project"),
    "project:role:change": _("The role of ${username} was changed"),
    "project:create": _("Project created by ${created_by}"),
    "project:release:add": _("Release ${version} added by ${submitted_by}"),
    "project:release:file:add": _("File ${filename} uploaded by ${submitted_by}"),
    "admin:events:export": _("Security events exported"),
    "events:prune": _("Old security events removed"),
}

DETAILS = {
    "account:login:failure/bad_password": _("Failed login: wrong password"),
    "account:login:failure/unknown_user": _("Failed login: no such user"),
    "account:login:failure/rate_limited": _("Failed login: too many attempts"),
    "account:reauthenticate:failure/bad_password": _("Password not confirmed: wrong password"),
    "account:reauthenticate:failure/rate_limited": _("Password not confirmed: too many attempts"),
    "account:two_factor:method_added/totp": _("Authenticator app added"),
    "account:two_factor:method_removed/totp": _("Authenticator app removed"),
    "account:two_factor:method_added/webauthn": _("Security key “${label}” added"),
    "account:two_factor:method_removed/webauthn": _("Security key “${label}” removed"),
    "account:two_factor:login:success/webauthn": _("Logged in with the security key “${label}”"),
    "account:two_factor:login:success/totp": _("Logged in with an authenticator app"),
    "account:two_factor:login:success/recovery_code": _("Logged in with a recovery code"),
    "account:two_factor:login:failure/invalid_code": _("Failed second step: wrong code"),
    "account:two_factor:login:failure/reused_code": _("Failed second step: a code already used"),
    "account:two_factor:login:failure/rate_limited": _("Failed second step: too many attempts"),
    "account:two_factor:login:failure/invalid": _("Failed second step: the security key's answer was not valid"),
    "account:two_factor:login:failure/wrong_origin": _("Failed second step: a security key answered for another site"),
    "account:two_factor:login:failure/user_verification": _("Failed second step: the security key did not verify the user"),
    "account:two_factor:login:failure/unknown_key": _("Failed second step: a security key of another account"),
    "account:two_factor:login:failure/cloned_key": _("Failed second step: a security key that may have been copied"),
    "account:two_factor:login:failure/no_challenge": _("Failed second step: an expired or already used security-key request"),
    "account:two_factor:login:failure/no_answer": _("Failed second step: no answer from a security key"),
    "account:two_factor:login:failure/invalid_recovery_code": _("Failed second step: wrong recovery code"),
    "account:two_factor:login:failure/used_recovery_code": _("Failed second step: recovery code already used"),
    "account:email:sent/two-factor-added": _("Email sent: two-factor method added"),
    "account:email:sent/two-factor-removed": _("Email sent: two-factor method removed"),
    "account:email:sent/recovery-codes-generated": _("Email sent: recovery codes generated"),
    "account:email:sent/recovery-code-used": _("Email sent: recovery code used"),
    "account:email:sent/code-reuse": _("Email sent: a used code was refused"),
    "account:email:sent/two-factor-reset": _("Email sent: second factor reset"),
    "account:email:sent/verify-email": _("Email sent: address verification"),
    "account:email:sent/password-reset": _("Email sent: password reset link"),
    "account:email:sent/password-changed": _("Email sent: password change notice"),
    "project:release:file:add/password": _("File ${filename} uploaded by ${submitted_by} with a password"),
    "project:release:file:add/token": _("File ${filename} uploaded by ${submitted_by} with the API token ${token_id}"),
    "account:email:sent/token-leaked": _("Email sent: an API token was found in public"),
    "account:api_token:removed/operator": _("API token “${description}” revoked by the site's operators"),
    "account:api_token:removed/leak": _("API token “${description}” revoked: it was found in public"),
}
DETAIL_KEYS = {"account:login:failure": "reason", "account:email:sent": "template",
               "account:reauthenticate:failure": "reason", "account:two_factor:method_added": "method",
               "account:two_factor:method_removed": "method", "account:two_factor:login:success": "method",
               "account:two_factor:login:failure": "reason", "project:release:file:add": "auth",
               "account:api_token:removed": "reason"}

REASONS = ("bad_password", "unknown_user", "rate_limited")


def sentence(tag: str, additional: dict):
    """The lazy message for an event, with its mapping."""
    key = DETAIL_KEYS.get(tag)
    message = DETAILS.get(f"{tag}/{additional.get(key)}") if key else None
    message = message or TAGS.get(tag) or tag
    mapping = {name: str(value) for name, value in additional.items() if isinstance(value, str | int)}
    return message, mapping
